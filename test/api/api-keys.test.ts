import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

/**
 * Restricted API keys (Account > Settings > Credentials > API Keys): made by Owner and Admin with
 * chosen permissions, sources and expiry; the secret shown once; accepted on /v1 as HTTP Basic
 * `key id:secret` or `Bearer key id.secret`, for what they name only; revoked at once.
 */
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});

afterAll(async () => {
  await server?.stop();
});

type Account = Awaited<ReturnType<typeof apiAccount>>;

async function createKey(account: Account, body: Record<string, unknown>) {
  const created = await account.client.post('/api/credentials/api-keys', body);
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body as { keyId: string; secret: string; bearerToken: string };
}

const asKey = (key: { keyId: string; secret: string }) => ({ authId: key.keyId, authToken: key.secret });

describe('restricted API keys', () => {
  it('are created with their permissions, listed without their secret, and do only what they name', async () => {
    const account = await apiAccount(server);
    const key = await createKey(account, {
      name: 'Number reader',
      fullAccess: false,
      grants: { Number: ['read'], Message: ['read', 'create'] },
    });
    expect(key.keyId).toMatch(/^SK[A-Z0-9]{18}$/);
    expect(key.bearerToken).toBe(`${key.keyId}.${key.secret}`);

    const listed = await account.client.get('/api/credentials/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.body.resources).toContainEqual({ name: 'Message', actions: ['create', 'read', 'delete'] });
    expect(listed.body.keys).toEqual([
      expect.objectContaining({
        keyId: key.keyId,
        name: 'Number reader',
        authId: account.authId,
        subaccount: null,
        fullAccess: false,
        grants: { Number: ['read'], Message: ['create', 'read'] },
        status: 'active',
        lastUsedAt: null,
      }),
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(key.secret);

    const base = `/Account/${account.authId}`;
    expect((await v1(server, asKey(key), 'GET', `${base}/Number/`)).status).toBe(200);
    const refused = await v1(server, asKey(key), 'GET', `${base}/Application/`);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain(`The API key ${key.keyId} lacks the permission Application:read`);
    expect(refused.body.api_id).toEqual(expect.any(String));
    const account403 = await v1(server, asKey(key), 'POST', `${base}/`, { body: { city: 'Berlin' } });
    expect(account403.status).toBe(403);
    expect(account403.body.error).toContain('Account:update');

    // Bearer: the same key as one token.
    const bearer = await fetch(`${server.url}/v1${base}/Number/`, {
      headers: { authorization: `Bearer ${key.bearerToken}` },
    });
    expect(bearer.status).toBe(200);
    const wrongBearer = await fetch(`${server.url}/v1${base}/Number/`, {
      headers: { authorization: `Bearer ${key.keyId}.not-the-secret` },
    });
    expect(wrongBearer.status).toBe(401);

    // Last use is shown once the request log is written.
    await server.system.requestLog.flush();
    const after = await account.client.get('/api/credentials/api-keys');
    expect(after.body.keys[0].lastUsedAt).toEqual(expect.any(String));

    const audited = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('account_id', '=', account.accountId)
      .where('action', '=', 'api_key.created')
      .executeTakeFirstOrThrow();
    expect(audited.details).toMatchObject({ keyId: key.keyId, name: 'Number reader' });
    expect(JSON.stringify(audited.details)).not.toContain(key.secret);
  });

  it('names the key in the audit trail of a change made with it, and reads the trail with AuditEvent:read', async () => {
    const account = await apiAccount(server);
    const key = await createKey(account, {
      name: 'Deployer',
      fullAccess: false,
      grants: { Application: ['create'], AuditEvent: ['read'] },
    });
    const base = `/Account/${account.authId}`;
    const created = await v1(server, asKey(key), 'POST', `${base}/Application/`, {
      body: { app_name: 'IVR' },
    });
    expect(created.status).toBe(200);
    const trail = await v1(server, asKey(key), 'GET', `${base}/AuditEvent/`);
    expect(trail.status).toBe(200);
    expect(JSON.stringify(trail.body)).toContain(`${account.authId} (API key ${key.keyId})`);
    const event = await server.system.database.db
      .selectFrom('audit_events')
      .select(['details', 'api_auth_id'])
      .where('account_id', '=', account.accountId)
      .where('action', 'like', 'application%')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      api_auth_id: account.authId,
      details: expect.objectContaining({ apiKeyId: key.keyId }),
    });
  });

  it('keeps the secret as the Auth Token is: encrypted, found by its digest', async () => {
    const account = await apiAccount(server);
    const key = await createKey(account, { name: 'Stored', fullAccess: true });
    const row = await server.system.database.db
      .selectFrom('api_keys')
      .selectAll()
      .where('key_id', '=', key.keyId)
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(key.secret);
    expect(server.system.secrets.decrypt(row.secret_encrypted)).toBe(key.secret);
    expect(row.secret_digest).toBe(server.system.secrets.digest(key.secret));
  });

  it('refuses a wrong secret, and another account’s path answers 404', async () => {
    const account = await apiAccount(server);
    const other = await apiAccount(server);
    const key = await createKey(account, { name: 'Full', fullAccess: true });
    const wrong = await v1(
      server,
      { authId: key.keyId, authToken: 'x'.repeat(40) },
      'GET',
      `/Account/${account.authId}/`,
    );
    expect(wrong.status).toBe(401);
    expect((await v1(server, asKey(key), 'GET', `/Account/${account.authId}/`)).status).toBe(200);
    expect((await v1(server, asKey(key), 'GET', `/Account/${other.authId}/`)).status).toBe(404);
  });

  it('is refused from outside its source addresses, on top of the account’s whitelist', async () => {
    const account = await apiAccount(server);
    const key = await createKey(account, {
      name: 'Office only',
      fullAccess: true,
      sourceCidrs: ['198.51.100.0/24'],
    });
    const path = `/Account/${account.authId}/`;
    expect((await v1(server, asKey(key), 'GET', path, { ip: '198.51.100.20' })).status).toBe(200);
    const outside = await v1(server, asKey(key), 'GET', path, { ip: '203.0.113.9' });
    expect(outside.status).toBe(403);
    expect(outside.body.error).toContain('Requests from 203.0.113.9 are not allowed for the API key');
    // The Auth Token is not bound by a key's sources.
    expect((await v1(server, account, 'GET', path, { ip: '203.0.113.9' })).status).toBe(200);
  });

  it('stops working at its expiry', async () => {
    const account = await apiAccount(server);
    const expiresAt = new Date(server.clock.now().getTime() + 3_600_000).toISOString();
    const key = await createKey(account, { name: 'An hour', fullAccess: true, expiresAt });
    const path = `/Account/${account.authId}/`;
    expect((await v1(server, asKey(key), 'GET', path)).status).toBe(200);
    server.clock.advanceMinutes(61);
    try {
      const expired = await v1(server, asKey(key), 'GET', path);
      expect(expired.status).toBe(401);
      expect(expired.body.error).toContain(`The API key ${key.keyId} expired at ${expiresAt}`);
      const [listed] = await server.system.apiKeys.list(account.accountId);
      expect(listed?.status).toBe('expired');
    } finally {
      server.clock.advanceMinutes(-61);
    }
  });

  it('is refused at once when revoked, and the revocation is audited', async () => {
    const account = await apiAccount(server);
    const key = await createKey(account, { name: 'Leaked', fullAccess: true });
    const path = `/Account/${account.authId}/`;
    expect((await v1(server, asKey(key), 'GET', path)).status).toBe(200);
    expect((await account.client.delete(`/api/credentials/api-keys/${key.keyId}`)).status).toBe(204);
    expect((await v1(server, asKey(key), 'GET', path)).status).toBe(401);
    const again = await account.client.delete(`/api/credentials/api-keys/${key.keyId}`);
    expect(again.status).toBe(409);
    const listed = await account.client.get('/api/credentials/api-keys');
    expect(listed.body.keys[0]).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const events = await server.system.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('account_id', '=', account.accountId)
      .where('action', 'like', 'api_key.%')
      .execute();
    expect(events.map((e) => e.action).sort()).toEqual(['api_key.created', 'api_key.revoked']);
  });

  it('gives a subaccount keys of its own, never wider than the subaccount', async () => {
    const account = await apiAccount(server);
    const sub = await v1(server, account, 'POST', `/Account/${account.authId}/Subaccount/`, {
      body: { name: 'Branch', enabled: true },
    });
    expect(sub.status).toBe(200);
    const subAuthId: string = sub.body.auth_id;
    const refused = await account.client.post('/api/credentials/api-keys', {
      name: 'Too wide',
      subaccount: subAuthId,
      fullAccess: false,
      grants: { Subaccount: ['read'] },
    });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toContain('A subaccount cannot manage subaccounts');
    const key = await createKey(account, { name: 'Branch full', subaccount: subAuthId, fullAccess: true });
    expect((await v1(server, asKey(key), 'GET', `/Account/${subAuthId}/`)).status).toBe(200);
    // Full access is the subaccount's access: its main account's path is not its own, and subaccounts are refused to it.
    expect((await v1(server, asKey(key), 'GET', `/Account/${account.authId}/`)).status).toBe(404);
    expect((await v1(server, asKey(key), 'GET', `/Account/${subAuthId}/Subaccount/`)).status).not.toBe(200);
    const listed = await account.client.get('/api/credentials/api-keys');
    expect(listed.body.keys[0]).toMatchObject({
      keyId: key.keyId,
      subaccount: { authId: subAuthId, name: 'Branch' },
    });
  });

  it('explains what to fix in a refused key', async () => {
    const account = await apiAccount(server);
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '', fullAccess: true }, 'Give the key a name'],
      [{ name: 'X', fullAccess: false, grants: {} }, 'Choose at least one permission'],
      [{ name: 'X', fullAccess: false, grants: { Fax: ['read'] } }, '"Fax" is not an API resource'],
      [{ name: 'X', fullAccess: false, grants: { Pricing: ['delete'] } }, 'Pricing has no action "delete"'],
      [
        { name: 'X', fullAccess: true, grants: { Pricing: ['read'] } },
        'A full-access key names no permissions',
      ],
      [{ name: 'X', fullAccess: true, sourceCidrs: ['300.1.1.1'] }, '300.1.1.1'],
      [
        { name: 'X', fullAccess: true, expiresAt: '2001-01-01T00:00:00Z' },
        'The expiry must be in the future',
      ],
      [
        { name: 'X', fullAccess: true, subaccount: 'SA000000000000000000' },
        'No subaccount SA000000000000000000',
      ],
    ];
    for (const [body, message] of cases) {
      const refused = await account.client.post('/api/credentials/api-keys', body);
      expect(refused.status, JSON.stringify(body)).toBe(400);
      expect(refused.body.detail).toContain(message);
    }
    const none = await server.system.database.db
      .selectFrom('api_keys')
      .innerJoin('accounts', 'accounts.id', 'api_keys.account_id')
      .select('api_keys.id')
      .where('accounts.id', '=', account.accountId)
      .execute();
    expect(none).toEqual([]);
  });

  it('are managed by Owner and Admin only', async () => {
    const account = await apiAccount(server);
    const developer = await invitedMember(server, account.client, 'developer');
    expect((await developer.client.get('/api/credentials/api-keys')).status).toBe(403);
    expect(
      (await developer.client.post('/api/credentials/api-keys', { name: 'Mine', fullAccess: true })).status,
    ).toBe(403);
    const admin = await invitedMember(server, account.client, 'admin');
    expect(
      (await admin.client.post('/api/credentials/api-keys', { name: 'Admin’s', fullAccess: true })).status,
    ).toBe(201);
  });
});
