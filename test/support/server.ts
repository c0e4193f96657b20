import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { type Config, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import type { Clock } from '../../src/lib/clock.js';
import { type RunningServer, startServer } from '../../src/server.js';
import { createTestDatabase, reopenTestDatabase } from './database.js';
import { testDataRoot } from './global-setup.js';

export class FakeClock implements Clock {
  #offsetMs = 0;
  #frozenAt: number | undefined;
  now() {
    return new Date((this.#frozenAt ?? Date.now()) + this.#offsetMs);
  }
  /** Stops time (before any advance) at the given moment, or at the start of the next whole second. */
  freeze(atMs = (Math.floor(Date.now() / 1000) + 1) * 1000) {
    this.#frozenAt = atMs;
  }
  unfreeze() {
    this.#frozenAt = undefined;
  }
  advanceMinutes(minutes: number) {
    this.#offsetMs += minutes * 60_000;
  }
  advanceMilliseconds(ms: number) {
    this.#offsetMs += ms;
  }
}

export interface TestServer extends RunningServer {
  clock: FakeClock;
  config: Config;
  logLines: string[];
  /** The PGlite directory, on PGlite. */
  databaseDir?: string;
}

/** What the test servers' risk list holds: sign-ups from there are held for activation review. */
const riskListedRange = '203.0.113.128/25';
/** An address of its own in the risk-listed range (per-IP throttles may outlive a test in Redis). */
export const riskListedAddress = () => `203.0.113.${128 + randomInt(127)}`;
export const riskListedDomain = 'risky-telecom.example';

/**
 * A real Switchboard on an ephemeral port with its own database (PGlite copy or a fresh PostgreSQL
 * database), its own VPN deny list (198.51.100.0/24), its own risk list (203.0.113.128/25 and
 * riskListedDomain) and a fake clock. Logs are kept for scanning. `sameDatabaseAs` shares a running
 * server's PostgreSQL database; `restartOf` opens a stopped server's database again, as a restart
 * after a crash does (on PGlite the stopped server must have been started `restartable`).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  options: {
    sameDatabaseAs?: TestServer;
    restartOf?: TestServer;
    restartable?: boolean;
    fetch?: typeof fetch;
  } = {},
): Promise<TestServer> {
  const dir = path.join(testDataRoot, `server_${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const vpnFile = path.join(dir, 'vpn.txt');
  writeFileSync(vpnFile, '# test VPN exit nodes\n198.51.100.0/24\n2001:db8:bad::/48\n');
  const riskFile = path.join(dir, 'risk.txt');
  writeFileSync(riskFile, `# test risk list\n${riskListedRange}\n${riskListedDomain}\n`);
  const earlier = options.sameDatabaseAs ?? options.restartOf;
  const shared = earlier?.config.databaseUrl;
  const database = shared
    ? await openDatabase({ databaseUrl: shared })
    : options.restartOf?.databaseDir
      ? await reopenTestDatabase(options.restartOf.databaseDir)
      : await createTestDatabase({ keep: options.restartable ?? false });
  const databaseUrl = (database as { url?: string }).url ?? shared;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dir,
    SECRET_KEY: earlier?.config.secretKey ?? randomBytes(32).toString('hex'),
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    VPN_DENYLIST_FILE: vpnFile,
    RISK_DENYLIST_FILE: riskFile,
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: 'info',
    ...(process.env.TEST_TARGET === 'postgres' && process.env.TEST_REDIS_URL
      ? { REDIS_URL: process.env.TEST_REDIS_URL }
      : {}),
    ...env,
  });
  const logLines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => logLines.push(line) });
  const clock = new FakeClock();
  const server = await startServer(config, {
    database,
    clock,
    log,
    controlChannel: false,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const port = (server.app.server.address() as { port: number }).port;
  const url = `http://127.0.0.1:${port}`;
  const databaseDir = (database as { dir?: string }).dir;
  return { ...server, url, clock, config: { ...config, publicUrl: url }, logLines, databaseDir };
}

/**
 * Two instances on one database (and one Redis when the run has one), as behind a load balancer,
 * for the tests of the describe block that calls this: started before them, stopped after.
 */
export function twoInstances() {
  const instances = {} as { first: TestServer; second: TestServer };
  beforeAll(async () => {
    instances.first = await startTestServer();
    instances.second = await startTestServer({}, { sameDatabaseAs: instances.first });
  });
  afterAll(async () => {
    await instances.second?.stop();
    await instances.first?.stop();
  });
  return instances;
}
