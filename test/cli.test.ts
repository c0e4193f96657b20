import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { lockEmbeddedDatabase } from '../src/cli/database-lock.js';
import { runDatabaseCommand } from '../src/cli/run.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { testDataRoot, withDatabase } from './support/global-setup.js';

/** A DATA_DIR holding a copy of the migrated template, as `npm start` would leave it. */
function embeddedDataDir() {
  const dataDir = path.join(testDataRoot, `cli_${randomBytes(4).toString('hex')}`);
  mkdirSync(dataDir, { recursive: true });
  cpSync(inject('pgliteTemplate'), path.join(dataDir, 'pglite'), { recursive: true });
  return dataDir;
}

describe.runIf(process.env.TEST_TARGET !== 'postgres')('the switchboard CLI on the embedded database', () => {
  it('asks the running server to create staff, and opens the database itself once the server is gone', async () => {
    const dataDir = embeddedDataDir();
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const server = await startServer(config);
    const reported: string[] = [];
    const report = (line: string) => reported.push(line);
    try {
      expect(() => lockEmbeddedDatabase(dataDir)).toThrow(/in use by process/);
      const created = (await runDatabaseCommand(
        config,
        'staff.create',
        { email: 'olga@operator.test', name: 'Olga Ops', role: 'staff_admin' },
        { report },
      )) as { setupLink: string };
      expect(reported).toEqual([
        `Database: the embedded database in ${path.join(dataDir, 'pglite')} (DATA_DIR=${dataDir}), through the server running on it.`,
      ]);
      expect(created.setupLink).toMatch(/\/staff\/setup\?token=/);
      const inServer = await server.system.staff.setupDetails(
        new URL(created.setupLink).searchParams.get('token') ?? '',
      );
      expect(inServer.email).toBe('olga@operator.test');

      const provisioned = (await runDatabaseCommand(config, 'accounts.create', {
        email: 'ops@acme-telecom.com',
        name: 'Acme Telecom',
        activate: 'true',
      })) as { authId: string; authToken: string; status: string };
      expect(provisioned.authId).toMatch(/^MA[A-Z0-9]{18}$/);
      expect(provisioned.status).toBe('active');
      const account = await fetch(`${server.url}/v1/Account/${provisioned.authId}/`, {
        headers: {
          authorization: `Basic ${Buffer.from(`${provisioned.authId}:${provisioned.authToken}`).toString('base64')}`,
        },
      });
      expect(account.status).toBe(200);
      expect(((await account.json()) as { name: string }).name).toBe('Acme Telecom');
    } finally {
      await server.stop();
    }
    const direct = (await runDatabaseCommand(
      config,
      'staff.create',
      { email: 'ivan@operator.test', name: 'Ivan', role: 'agent' },
      { report },
    )) as {
      role: string;
    };
    expect(direct.role).toBe('agent');
    const listing = (await runDatabaseCommand(config, 'jobs.list', {})) as {
      counts: { name: string; state: string; count: number }[];
    };
    // Each email above (two staff setup links, the new account's owner's) is an outbox message with its delivery job.
    expect(
      listing.counts.filter((row) => row.name === 'outbox.deliver').reduce((sum, row) => sum + row.count, 0),
    ).toBe(3);
    expect(reported.at(-1)).toBe(
      `Database: the embedded database in ${path.join(dataDir, 'pglite')} (DATA_DIR=${dataDir}).`,
    );
    await expect(
      runDatabaseCommand(config, 'staff.create', {
        email: 'ivan@operator.test',
        name: 'Ivan',
        role: 'agent',
      }),
    ).rejects.toThrow(/already exists/);
  });

  it('refuses to create a new database when DATA_DIR holds none, naming DATA_DIR and how to point at the server’s', async () => {
    const dataDir = path.join(testDataRoot, `cli_missing_${randomBytes(4).toString('hex')}`);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const refused = runDatabaseCommand(config, 'staff.create', {
      email: 'nadia@operator.test',
      name: 'Nadia',
      role: 'agent',
    });
    await expect(refused).rejects.toThrow(`There is no database in ${dataDir} (DATA_DIR)`);
    await expect(refused).rejects.toThrow(/Set DATA_DIR to your server's data directory/);
    await expect(refused).rejects.toThrow(/run `switchboard migrate` or add --create-database/);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('creates the database when asked with --create-database', async () => {
    const dataDir = path.join(testDataRoot, `cli_new_${randomBytes(4).toString('hex')}`);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent' });
    const reported: string[] = [];
    const created = (await runDatabaseCommand(
      config,
      'staff.create',
      { email: 'nadia@operator.test', name: 'Nadia', role: 'agent' },
      { createDatabase: true, report: (line) => reported.push(line) },
    )) as { role: string };
    expect(created.role).toBe('agent');
    expect(reported).toEqual([
      `Database: the embedded database in ${path.join(dataDir, 'pglite')} (DATA_DIR=${dataDir}).`,
    ]);
    rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});

describe.runIf(process.env.TEST_TARGET === 'postgres')('the switchboard CLI on PostgreSQL', () => {
  it('refuses to set up a PostgreSQL database that has no Switchboard tables unless asked', async () => {
    const url = process.env.TEST_DATABASE_URL as string;
    const name = `sb_cli_empty_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const config = loadConfig({
        DATABASE_URL: withDatabase(url, name),
        SECRET_KEY: 'a'.repeat(64),
        PORT: '0',
        LOG_LEVEL: 'silent',
      });
      await expect(
        runDatabaseCommand(config, 'staff.create', {
          email: 'nadia@operator.test',
          name: 'Nadia',
          role: 'agent',
        }),
      ).rejects.toThrow(`the PostgreSQL database "${name}"`);
      const tables = new pg.Client({ connectionString: withDatabase(url, name) });
      await tables.connect();
      const { rows } = await tables.query(
        "SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'",
      );
      await tables.end();
      expect(rows[0].n).toBe(0);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
