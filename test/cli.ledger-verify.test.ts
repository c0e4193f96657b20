import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import type { LedgerVerification } from '../src/cli/commands.js';
import { ledgerVerifyReport } from '../src/cli/ledger-report.js';
import { runDatabaseCommand } from '../src/cli/run.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { embeddedDirectory } from '../src/db/database-location.js';
import { createTestDatabase, testTarget } from './support/database.js';
import { testDataRoot } from './support/global-setup.js';

const compiled = path.resolve('dist/src/cli/index.js');

/** The settings a CLI run on this file's own database uses: a copied DATA_DIR, or a fresh PostgreSQL database. */
async function ownDatabase(): Promise<Record<string, string>> {
  if (testTarget === 'postgres') {
    const created = await createTestDatabase();
    await created.close();
    return { DATABASE_URL: created.url as string, SECRET_KEY: 'b'.repeat(64) };
  }
  const dataDir = path.join(testDataRoot, `cli_ledger_${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pglite'), { recursive: true });
  return { DATA_DIR: dataDir };
}

describe('switchboard credits add and ledger verify', () => {
  it('credits once per idempotency key, and ledger verify exits non-zero on a tampered balance', async () => {
    const env = await ownDatabase();
    const config = loadConfig({ ...env, PORT: '0', LOG_LEVEL: 'silent' });
    const { authId } = (await runDatabaseCommand(config, 'accounts.create', {
      email: `ops-${randomBytes(3).toString('hex')}@acme-telecom.com`,
      name: 'Acme Telecom',
      activate: 'true',
    })) as { authId: string };
    const credit = { account: authId, amount: '25.00', reason: 'Goodwill after outage', key: 'cli-key-0001' };
    const first = (await runDatabaseCommand(config, 'credits.add', credit)) as {
      posted: boolean;
      balance: { balanceMicros: string };
    };
    const again = (await runDatabaseCommand(config, 'credits.add', credit)) as typeof first;
    expect([first.posted, again.posted]).toEqual([true, false]);
    expect(again.balance.balanceMicros).toBe('25000000');

    const clean = (await runDatabaseCommand(config, 'ledger.verify', {})) as LedgerVerification;
    expect(ledgerVerifyReport(clean).exitCode).toBe(0);

    // Tampering: the cached balance moves without a ledger entry.
    const database = config.databaseUrl
      ? await openDatabase({ databaseUrl: config.databaseUrl })
      : await openDatabase({ pgliteDir: embeddedDirectory(config.dataDir) });
    await database.db
      .updateTable('accounts')
      .set((eb) => ({ balance_micros: eb('balance_micros', '+', 1_000_000n) }))
      .where('auth_id', '=', authId)
      .execute();
    await database.close();

    const tampered = (await runDatabaseCommand(config, 'ledger.verify', {})) as LedgerVerification;
    expect(tampered.mismatches).toEqual([{ authId, cachedMicros: '26000000', ledgerMicros: '25000000' }]);
    const report = ledgerVerifyReport(tampered);
    expect(report.exitCode).toBe(1);
    expect(report.lines).toContain(`${authId}: balance 26.000000, ledger sum 25.000000`);

    // The command itself, when built (npm run build): its exit status is what scripts and monitors read.
    if (existsSync(compiled)) {
      const run = spawnSync(process.execPath, [compiled, 'ledger', 'verify'], {
        env: { ...process.env, ...env, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
      });
      expect(run.stdout).toContain(`${authId}: balance 26.000000, ledger sum 25.000000`);
      expect(run.status).toBe(1);
    }
  }, 120_000);
});
