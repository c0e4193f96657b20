/**
 * The server bench/usage-summary measures, in its own process (so its RSS is the server's alone):
 * the real Switchboard on DATABASE_URL, with one active account, 10 subaccounts, a rate limit that
 * does not refuse, and a console session of its Owner. Prints one JSON line when ready:
 * {url, pid, accountId, authId, authToken, cookie, subaccounts: [{id, authId}]}.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const { loadConfig } = await import('../src/config.js');
const { startServer } = await import('../src/server.js');
const { newAuthId, newId } = await import('../src/lib/ids.js');
const config = loadConfig({
  ...process.env,
  DATA_DIR: mkdtempSync(path.join(tmpdir(), 'switchboard-bench-usage-')),
  PORT: '0',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
});
const server = await startServer(config, { controlChannel: false });
const { system } = server;
const actor = { ip: '127.0.0.1', userAgent: 'bench' };
const account = await system.provisioning.create(actor, {
  email: `bench-${Date.now()}@acme-telecom.com`,
  name: 'Bench',
  activate: true,
});
await system.rateLimits.set(actor, account.accountId, { standard: 1_000_000 });
const db = system.database.db;
const subaccounts = Array.from({ length: 10 }, (_, i) => ({
  id: newId(),
  auth_id: newAuthId('SA'),
  name: `Branch ${i + 1}`,
  signup_ip: null,
  status: 'active' as const,
  currency: 'USD',
  parent_account_id: account.accountId,
}));
await db.insertInto('accounts').values(subaccounts).execute();
const owner = await db
  .selectFrom('memberships')
  .select('user_id')
  .where('account_id', '=', account.accountId)
  .executeTakeFirstOrThrow();
const session = await system.sessions.create(
  { principal: 'user', userId: owner.user_id, accountId: account.accountId },
  'full',
  actor,
);
console.log(
  JSON.stringify({
    url: server.url,
    pid: process.pid,
    accountId: account.accountId,
    authId: account.authId,
    authToken: account.authToken,
    cookie: `sb_session=${session.token}`,
    subaccounts: subaccounts.map((s) => ({ id: s.id, authId: s.auth_id })),
  }),
);
process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
