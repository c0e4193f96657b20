/**
 * The two servers bench/gate compares, each run in its own process: `bare` is a bare Fastify route
 * answering an account-sized JSON body; `switchboard` is the real server with an account whose IP
 * whitelist is on and whose rate limit is counted on every request (set high enough not to refuse).
 * Prints one JSON line {url, authId, authToken} when ready.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';

const mode = process.argv[2];

if (mode === 'bare') {
  const app = Fastify();
  const body = {
    account_type: 'standard',
    address: '',
    auth_id: 'MABENCHBENCHBENCHBEN',
    auto_recharge: false,
    billing_mode: 'prepaid',
    cash_credits: '0.00000',
    city: '',
    name: 'Bench',
    resource_uri: '/v1/Account/MABENCHBENCHBENCHBEN/',
    state: '',
    timezone: 'UTC',
  };
  app.get('/v1/Account/:authId/', async () => ({ api_id: crypto.randomUUID(), ...body }));
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(JSON.stringify({ url, authId: 'MABENCHBENCHBENCHBEN', authToken: 'x' }));
} else if (mode === 'switchboard') {
  // Loaded here only: the bare server holds none of Switchboard's modules.
  const { loadConfig } = await import('../src/config.js');
  const { startServer } = await import('../src/server.js');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-'));
  const config = loadConfig({
    ...process.env,
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
  });
  const server = await startServer(config, { controlChannel: false });
  const actor = { ip: '127.0.0.1', userAgent: 'bench' };
  const account = await server.system.provisioning.create(actor, {
    email: 'bench@acme-telecom.com',
    name: 'Bench',
    activate: true,
  });
  await server.system.ipWhitelist.add(actor, account.accountId, '127.0.0.1/32');
  await server.system.ipWhitelist.setEnabled(actor, account.accountId, true, true);
  await server.system.rateLimits.set(actor, account.accountId, { standard: 1_000_000 });
  console.log(JSON.stringify({ url: server.url, authId: account.authId, authToken: account.authToken }));
  process.once('SIGTERM', () => void server.stop().then(() => process.exit(0)));
} else {
  console.error('usage: gate-target.ts bare|switchboard');
  process.exit(2);
}
