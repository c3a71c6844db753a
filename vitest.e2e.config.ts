import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    pool: 'forks',
    // expect.poll's default of 1 s is too short for a page on a loaded machine; a poll still ends at the first match.
    expect: { poll: { timeout: 15_000 } },
  },
});
