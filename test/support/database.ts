import { randomBytes } from 'node:crypto';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../../src/db/database.js';
import { testDataRoot, withDatabase } from './global-setup.js';

export const testTarget = (process.env.TEST_TARGET ?? 'pglite') as 'pglite' | 'postgres';

/**
 * A migrated database of its own for one test file: a copy of the run's template. `keep` leaves a
 * PGlite directory in place when closed, for a server that reopens it (reopenTestDatabase).
 */
export async function createTestDatabase(
  options: { keep?: boolean } = {},
): Promise<DatabaseHandle & { url?: string; dir?: string }> {
  // Workers keep their modules between files (vitest.config.ts); vitest never gives one worker two projects.
  if ((process.env.TEST_TARGET ?? 'pglite') !== testTarget)
    throw new Error(
      `This worker ran ${testTarget} files and now ${process.env.TEST_TARGET}: isolate the projects`,
    );
  const suffix = randomBytes(4).toString('hex');
  if (testTarget === 'postgres') {
    const url = process.env.TEST_DATABASE_URL as string;
    const template = inject('postgresTemplate');
    const name = template.replace('sb_tpl_', 'sb_t_') + suffix;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    } finally {
      await admin.end();
    }
    const databaseUrl = withDatabase(url, name);
    const handle = await openDatabase({ databaseUrl });
    return { ...handle, url: databaseUrl };
  }
  const dir = path.join(testDataRoot, `db_${suffix}`);
  cpSync(inject('pgliteTemplate'), dir, { recursive: true });
  if (options.keep) return { ...(await openDatabase({ pgliteDir: dir })), dir };
  return reopenTestDatabase(dir);
}

/** Opens a PGlite directory a closed test database left (createTestDatabase with `keep`); closing removes it. */
export async function reopenTestDatabase(dir: string): Promise<DatabaseHandle & { dir: string }> {
  const handle = await openDatabase({ pgliteDir: dir });
  return {
    ...handle,
    dir,
    close: async () => {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
