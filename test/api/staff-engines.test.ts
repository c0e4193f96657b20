import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import { loadTestPrices, postUsage } from '../support/engine-usage.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
  await loadTestPrices(server, [
    { country_iso: 'US', product: 'sms', direction: 'outbound', rate_micros: 5_000n },
  ]);
}, 120_000);
afterAll(() => server.stop());

describe('Staff > Engines', () => {
  it('creates an engine whose key is shown once and kept as a digest, lists it, and revokes it, audited', async () => {
    const staff = await setUpStaff(server, 'staff_admin');
    const client = await signInStaff(server, staff);
    const created = await client.post('/api/staff/engines', { name: 'sbc1' });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { engineId, key } = created.body as { engineId: string; key: string };
    expect(created.body.name).toBe('sbc1');
    expect(key).toMatch(new RegExp(`^sbe_${engineId.replaceAll('-', '')}_[A-Za-z0-9_-]{43}$`));

    const row = await server.system.database.db
      .selectFrom('engines')
      .selectAll()
      .where('id', '=', engineId)
      .executeTakeFirstOrThrow();
    expect(row.key_digest).not.toContain(key.slice(-43));
    expect(row.created_by).toBe(`staff:${staff.id}`);

    const account = await apiAccount(server);
    const used = await postUsage(server, key, {
      events: [
        {
          id: 'm-1',
          account: account.authId,
          product: 'sms',
          direction: 'outbound',
          from: '+14155550100',
          to: '+12125550123',
          quantity: 1,
          started_at: '2026-11-20T09:00:00Z',
        },
      ],
    });
    expect(used.body.events[0].status).toBe('charged');

    const listed = await client.get('/api/staff/engines');
    expect(listed.status).toBe(200);
    const entry = listed.body.engines.find((engine: { id: string }) => engine.id === engineId);
    expect(entry).toEqual({
      id: engineId,
      name: 'sbc1',
      createdBy: `staff:${staff.id}`,
      createdAt: expect.stringMatching(/^\d{4}-/),
      lastUsedAt: expect.stringMatching(/^\d{4}-/),
      revokedAt: null,
      disconnectUrl: null,
      disconnectProtocol: 'webhook',
      openSessions: 0,
    });
    expect(JSON.stringify(listed.body)).not.toContain(row.key_digest);

    // Where credit control's disconnect requests go, with a signing secret shown this once and kept encrypted.
    const badUrl = await client.put(`/api/staff/engines/${engineId}/disconnect`, { url: 'ftp://sbc1/hook' });
    expect([badUrl.status, badUrl.body.code]).toEqual([400, EngineErrors.invalidDisconnectUrl]);
    const hooked = await client.put(`/api/staff/engines/${engineId}/disconnect`, {
      url: 'http://10.0.0.5:8088/disconnect',
    });
    expect(hooked.status, JSON.stringify(hooked.body)).toBe(200);
    expect(hooked.body.engine.disconnectUrl).toBe('http://10.0.0.5:8088/disconnect');
    expect(hooked.body.signingSecret).toMatch(/^whsec_/);
    const stored = await server.system.database.db
      .selectFrom('engines')
      .select('signing_secret_encrypted')
      .where('id', '=', engineId)
      .executeTakeFirstOrThrow();
    expect(stored.signing_secret_encrypted).not.toContain(hooked.body.signingSecret.slice(6));
    expect(await server.system.engines.disconnectTarget(engineId)).toEqual({
      url: 'http://10.0.0.5:8088/disconnect',
      secret: hooked.body.signingSecret,
      protocol: 'webhook',
    });

    const revoked = await client.post(`/api/staff/engines/${engineId}/revoke`, {});
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);
    expect(revoked.body.engine.revokedAt).toMatch(/^\d{4}-/);
    const refused = await postUsage(server, key, { events: [{ ...used.body.events[0], id: 'm-2' }] });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe(EngineErrors.keyInvalid);

    const audit = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('staff_id', '=', staff.id)
      .where('action', 'like', 'engine.%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'engine.created', details: { engineId, name: 'sbc1' } },
      {
        action: 'engine.disconnect_url_set',
        details: { engineId, url: 'http://10.0.0.5:8088/disconnect', protocol: 'webhook' },
      },
      { action: 'engine.revoked', details: { engineId, name: 'sbc1' } },
    ]);
    expect(server.logLines.join('\n')).not.toContain(key.slice(-43));
  });

  it('refuses a name in use (also when created concurrently) or not a name, and an unknown engine', async () => {
    const client = await signInStaff(server, await setUpStaff(server, 'agent'));
    expect((await client.post('/api/staff/engines', { name: 'smsc-bridge' })).status).toBe(201);
    const taken = await client.post('/api/staff/engines', { name: 'smsc-bridge' });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe(EngineErrors.nameTaken);
    // Created at once by several staff: one gets it, the others are told the name is taken.
    const raced = await Promise.all(
      Array.from({ length: 6 }, () => client.post('/api/staff/engines', { name: 'kamailio-edge' })),
    );
    expect(raced.map((answer) => answer.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const bad = await client.post('/api/staff/engines', { name: 'SBC One!' });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe(EngineErrors.invalidName);
    const unknown = await client.post('/api/staff/engines/00000000-0000-4000-8000-000000000000/revoke', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(EngineErrors.notFound);
  });

  it('is not reachable with a customer session', async () => {
    const account = await apiAccount(server);
    expect((await account.client.get('/api/staff/engines')).status).toBe(401);
    expect((await account.client.post('/api/staff/engines', { name: 'mine' })).status).toBe(401);
  });
});
