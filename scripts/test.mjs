#!/usr/bin/env node
// The whole test suite: set-up of the machine (peers, Chromium, PostgreSQL), build, typecheck, format and lint,
// unit and API tests (SQLite and PostgreSQL), then the end-to-end tests in Chromium. Prints one totals line at the end for people and for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const results = 'test-results';
mkdirSync(results, { recursive: true });

const suites = [
  { name: 'unit and API', config: 'vitest.config.ts', output: `${results}/unit.json` },
  { name: 'end-to-end', config: 'vitest.e2e.config.ts', output: `${results}/e2e.json` },
];

function run(command, args) {
  console.log(`\n$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit' }).status ?? 1;
}

const failedSteps = [];
if (run('bash', ['scripts/test-setup.sh']) !== 0) failedSteps.push('set-up');
if (run('npm', ['run', 'build']) !== 0) failedSteps.push('build');
if (run('npm', ['run', 'typecheck']) !== 0) failedSteps.push('typecheck');
if (run('npx', ['biome', 'check', '.']) !== 0)
  failedSteps.push('format and lint (npx biome check --write . fixes most)');

const totals = { passed: 0, failed: 0, skipped: 0 };
for (const suite of suites) {
  rmSync(suite.output, { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    '--config',
    suite.config,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${suite.output}`,
  ]);
  if (!existsSync(suite.output)) {
    failedSteps.push(`${suite.name} (no results)`);
    continue;
  }
  const report = JSON.parse(readFileSync(suite.output, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
  if (status !== 0 && report.numFailedTests === 0) failedSteps.push(`${suite.name} (exit ${status})`);
}

console.log('');
if (totals.skipped > 0) failedSteps.push(`${totals.skipped} skipped (a test must run or be removed)`);
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(', ')}`);
console.log(`Totals: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || failedSteps.length > 0 || totals.passed === 0 ? 1 : 0);
