import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDatabaseCommand } from '../src/cli/run.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { compiledCli, freePort, ownServerDatabase, untilServing } from './support/server-process.js';

/**
 * The API request log (Logs > API) is written in batches, once a second. An operator stopping or
 * restarting the server (SIGTERM from systemd or Docker, Ctrl-C) must not lose the requests of its
 * last second: the server stops accepting, writes what it holds, closes the database, then exits.
 * The compiled server runs as `npm start` runs it, in its own process.
 */
const compiled = compiledCli;
if (!existsSync(compiled)) {
  const reason = 'request-log.shutdown needs the compiled server: run `npm run build` first.';
  if (process.env.CI === 'true') throw new Error(reason);
  console.warn(`${reason} Skipped.`);
}

describe.runIf(existsSync(compiled))('stopping the server', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    'writes the requests of its last second to Logs > API on %s',
    async (signal) => {
      const port = await freePort();
      const env = {
        ...(await ownServerDatabase('shutdown')),
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      };
      const config = loadConfig(env);
      const child = spawn(process.execPath, [compiled, 'serve'], {
        env: { ...process.env, ...env },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = once(child, 'exit');
      const url = `http://127.0.0.1:${port}`;
      let accountId = '';
      try {
        await untilServing(child, `${url}/api/session`);
        // On the embedded database the CLI asks the running server, as an operator's would.
        const account = (await runDatabaseCommand(config, 'accounts.create', {
          email: `ops-${randomBytes(3).toString('hex')}@acme-telecom.com`,
          name: 'Acme Telecom',
          activate: 'true',
        })) as { accountId: string; authId: string; authToken: string };
        accountId = account.accountId;
        const authorization = `Basic ${Buffer.from(`${account.authId}:${account.authToken}`).toString('base64')}`;
        for (let i = 0; i < 7; i++) {
          const answer = await fetch(`${url}/v1/Account/${account.authId}/`, { headers: { authorization } });
          expect(answer.status).toBe(200);
        }
        child.kill(signal);
        const [code] = await exited;
        expect(code).toBe(0);
      } finally {
        if (child.exitCode === null) {
          child.kill('SIGKILL');
          await exited;
        }
      }

      const database = await openDatabase(
        config.databaseUrl
          ? { databaseUrl: config.databaseUrl }
          : { pgliteDir: path.join(config.dataDir, 'pglite') },
      );
      try {
        const logged = await database.db
          .selectFrom('api_request_batches')
          .select(sql<string>`coalesce(sum(request_count), 0)`.as('requests'))
          .where('account_id', '=', accountId)
          .executeTakeFirstOrThrow();
        expect(Number(logged.requests)).toBe(7);
      } finally {
        await database.close();
      }
    },
    60_000,
  );
});
