import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { SecretBox } from '../src/lib/secrets.js';
import {
  compiledCli,
  compiledCliBuilt,
  openServerData,
  ownServerDatabase,
} from './support/server-process.js';

/** `switchboard engines create --name sbc1 --json` as an operator runs it: the compiled CLI in its own process. */
const built = compiledCliBuilt('cli.engines');

describe.runIf(built)('switchboard engines create', () => {
  it('prints {"engine_id", "key"} with --json, and keeps only the key’s digest', async () => {
    const env = await ownServerDatabase('cli_engines');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [compiledCli, 'engines', 'create', '--name', 'sbc1', '--json'],
      { env: { ...process.env, ...env, LOG_LEVEL: 'warn' } },
    );
    const printed = JSON.parse(stdout) as { engine_id: string; key: string };
    expect(Object.keys(printed).sort()).toEqual(['engine_id', 'key']);
    expect(printed.key).toMatch(
      new RegExp(`^sbe_${printed.engine_id.replaceAll('-', '')}_[A-Za-z0-9_-]{43}$`),
    );

    const database = await openServerData(env);
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
