import { defineConfig } from 'vitest/config';

// Every suite runs on the embedded PGlite database; with TEST_DATABASE_URL set the same suites run
// again on PostgreSQL (and on Redis when TEST_REDIS_URL is set). Browser journeys run on PGlite only.
const postgres = process.env.TEST_DATABASE_URL;
const shared = {
  include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  globalSetup: ['test/support/global-setup.ts'],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'pglite', env: { TEST_TARGET: 'pglite' } } },
      ...(postgres
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                exclude: ['test/browser/**'],
                env: { TEST_TARGET: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
