import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { SecretBox } from '../src/lib/secrets.js';
import { createTestDatabase, testTarget } from './support/database.js';
import { testDataRoot } from './support/global-setup.js';

/** `switchboard engines create --name sbc1 --json` as an operator runs it: the compiled CLI in its own process. */
const compiled = path.resolve('dist/src/cli/index.js');
if (!existsSync(compiled)) {
  const reason = 'cli.engines needs the compiled CLI: run `npm run build` first.';
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`${reason} Skipped.`);
}

async function ownDatabase(): Promise<Record<string, string>> {
  const dataDir = path.join(testDataRoot, `cli_engines_${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  const secret = { SECRET_KEY: randomBytes(32).toString('hex') };
  if (testTarget === 'postgres') {
    const database = await createTestDatabase();
    await database.close();
    return { DATA_DIR: dataDir, DATABASE_URL: database.url as string, ...secret };
  }
  cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pglite'), { recursive: true });
  return { DATA_DIR: dataDir, ...secret };
}

describe.runIf(existsSync(compiled))('switchboard engines create', () => {
  it('prints {"engine_id", "key"} with --json, and keeps only the key’s digest', async () => {
    const env = await ownDatabase();
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [compiled, 'engines', 'create', '--name', 'sbc1', '--json'],
      { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } },
    );
    const printed = JSON.parse(stdout) as { engine_id: string; key: string };
    expect(Object.keys(printed).sort()).toEqual(['engine_id', 'key']);
    expect(printed.key).toMatch(
      new RegExp(`^sbe_${printed.engine_id.replaceAll('-', '')}_[A-Za-z0-9_-]{43}$`),
    );

    const config = loadConfig(env);
    const database = await openDatabase(
      config.databaseUrl
        ? { databaseUrl: config.databaseUrl }
        : { pgliteDir: path.join(config.dataDir, 'pglite') },
    );
    try {
      const row = await database.db
        .selectFrom('engines')
        .select(['name', 'key_digest', 'created_by'])
        .where('id', '=', printed.engine_id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({
        name: 'sbc1',
        key_digest: new SecretBox(env.SECRET_KEY as string).digest(printed.key),
        created_by: 'cli',
      });
      const audit = await database.db
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'engine.created')
        .execute();
      expect(audit).toEqual([{ details: { engineId: printed.engine_id, name: 'sbc1' } }]);
    } finally {
      await database.close();
    }
  }, 60_000);
});
