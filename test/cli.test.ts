import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { lockEmbeddedDatabase } from '../src/cli/database-lock.js';
import { runDatabaseCommand } from '../src/cli/run.js';
import { loadConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { testDataRoot } from './support/global-setup.js';

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
    try {
      expect(() => lockEmbeddedDatabase(dataDir)).toThrow(/in use by process/);
      const created = (await runDatabaseCommand(config, 'staff.create', {
        email: 'olga@operator.test',
        name: 'Olga Ops',
        role: 'staff_admin',
      })) as { setupLink: string };
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
    const direct = (await runDatabaseCommand(config, 'staff.create', {
      email: 'ivan@operator.test',
      name: 'Ivan',
      role: 'agent',
    })) as {
      role: string;
    };
    expect(direct.role).toBe('agent');
    await expect(
      runDatabaseCommand(config, 'staff.create', {
        email: 'ivan@operator.test',
        name: 'Ivan',
        role: 'agent',
      }),
    ).rejects.toThrow(/already exists/);
  });
});
