import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Every suite runs on the embedded PGlite database; with TEST_DATABASE_URL set the same suites run
// again on PostgreSQL (and on Redis when TEST_REDIS_URL is set). Browser journeys run on PGlite only.
//
// Test files share their worker's module cache (isolate: false): importing the server's modules
// once per worker instead of once per file halves the suite's time (docs/decisions.md). Vitest
// gives each project fresh workers and never mixes projects in one. A file that replaces a module
// with vi.mock needs a module graph of its own, so each such file is a project of its own, found
// here by reading the files: a new one needs no list kept by hand. Browser journeys keep a fresh
// worker per file (a project of their own, isolated): they are few and long, so sharing saves little.
const postgres = process.env.TEST_DATABASE_URL;
const include = ['src/**/*.test.ts', 'test/**/*.test.ts'];

function testFiles(directory: string): string[] {
  return readdirSync(directory, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.test.ts'))
    .map((file) => path.join(directory, file));
}
const mocking = [...testFiles('src'), ...testFiles('test')].filter((file) =>
  readFileSync(file, 'utf8').includes('vi.mock('),
);

const shared = {
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  isolate: false,
};

/** A target's projects: its files sharing workers, and each mocking file alone; `without` names folders it skips. */
function target(name: 'pglite' | 'postgres', without: string[] = []) {
  const env = { TEST_TARGET: name };
  const exclude = [...without.map((folder) => `${folder}/**`), ...mocking];
  return [
    { test: { ...shared, name, include, exclude, env } },
    ...mocking
      .filter((file) => !without.some((folder) => file.startsWith(`${folder}/`)))
      .map((file) => ({
        test: { ...shared, name: `${name}: ${path.basename(file)}`, include: [file], env },
      })),
  ];
}

export default defineConfig({
  test: {
    isolate: false,
    // Vitest's default on 2 cores is one worker; a second one uses the time tests wait on PostgreSQL,
    // child processes and Chromium (measured in docs/decisions.md).
    maxWorkers: 2,
    projects: [
      ...target('pglite', ['test/browser']),
      {
        test: {
          ...shared,
          name: 'pglite: browser',
          include: ['test/browser/**/*.test.ts'],
          env: { TEST_TARGET: 'pglite' },
          isolate: true,
        },
      },
      ...(postgres ? target('postgres', ['test/browser']) : []),
    ],
  },
});
