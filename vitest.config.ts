import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@afterhours/shared': fileURLToPath(new URL('./packages/shared/src/index.ts', import.meta.url)),
      '@afterhours/checks': fileURLToPath(new URL('./packages/checks/src/index.ts', import.meta.url)),
      '@afterhours/power': fileURLToPath(new URL('./packages/power/src/index.ts', import.meta.url)),
      '@afterhours/agent': fileURLToPath(new URL('./apps/agent/src/main.ts', import.meta.url)),
    },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/server/src/**/*.test.ts',
      'apps/agent/src/**/*.test.ts',
      'apps/web/src/**/*.test.ts',
    ],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
