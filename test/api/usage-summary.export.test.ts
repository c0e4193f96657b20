import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageErrors } from '../../src/modules/billing/errors.js';
import { apiAccount } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { addUsageRecords, testEngine } from '../support/usage.js';

/** Billing > Usage Summary > Export CSV (GET /api/billing/usage.csv): the usage records of the filter. */
let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let other: Awaited<ReturnType<typeof apiAccount>>;
let east: { authId: string; id: string };

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  other = await apiAccount(server);
  const created = await owner.client.post('/api/subaccounts', { name: 'East' });
  const row = await server.system.database.db
    .selectFrom('accounts')
    .select('id')
    .where('auth_id', '=', created.body.authId)
    .executeTakeFirstOrThrow();
  east = { authId: created.body.authId, id: row.id };
  const db = server.system.database.db;
  const engine = await testEngine(db);
  await addUsageRecords(db, engine, [
    {
      accountId: owner.accountId,
      product: 'voice',
      startedAt: new Date('2026-11-01T08:00:00Z'),
      quantity: 61,
      amountMicros: 17_000n,
      eventId: 'call-1',
      to: '14155550123',
    },
    {
      accountId: owner.accountId,
      subaccountId: east.id,
      startedAt: new Date('2026-11-02T09:30:00Z'),
      quantity: 2,
      amountMicros: 80_000n,
      eventId: 'sms,"quoted"',
      from: '=HYPERLINK("x")',
    },
    { accountId: owner.accountId, startedAt: new Date('2026-10-31T23:59:59Z'), eventId: 'before' },
    { accountId: other.accountId, startedAt: new Date('2026-11-02T09:30:00Z'), eventId: 'someone-elses' },
  ]);
});
afterAll(() => server.stop());

describe('Export CSV of usage records', () => {
  it('streams the filter’s records, oldest first, as CSV with a header line', async () => {
    const answer = await owner.client.get('/api/billing/usage.csv?from=2026-11-01&to=2026-11-30');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(answer.headers.get('content-disposition')).toBe(
      'attachment; filename="usage-2026-11-01-to-2026-11-30.csv"',
    );
    // Sent as it is read: chunked, no length known in advance.
    expect(answer.headers.get('content-length')).toBeNull();
    expect(answer.headers.get('transfer-encoding')).toBe('chunked');
    expect((answer.body as string).split('\r\n')).toEqual([
      'started_at,day,subaccount,product,direction,from,to,country_iso,number_type,quantity,billed_quantity,rate,amount,event_id',
      '2026-11-01T08:00:00.000Z,2026-11-01,,voice,outbound,14155550100,14155550123,GB,,61,61,0.04000,0.01700,call-1',
      `2026-11-02T09:30:00.000Z,2026-11-02,${east.authId},sms,outbound,"'=HYPERLINK(""x"")",447700900123,GB,,2,2,0.04000,0.08000,"sms,""quoted"""`,
      '',
    ]);
  });

  it('applies the product and subaccount filters, and answers the header alone when nothing matches', async () => {
    const voice = await owner.client.get(
      '/api/billing/usage.csv?from=2026-11-01&to=2026-11-30&product=voice',
    );
    expect((voice.body as string).trim().split('\r\n').slice(1)).toEqual([
      expect.stringContaining(',call-1'),
    ]);
    const ofEast = await owner.client.get(
      `/api/billing/usage.csv?from=2026-11-01&to=2026-11-30&subaccount=${east.authId}`,
    );
    expect((ofEast.body as string).trim().split('\r\n')).toHaveLength(2);
    expect(ofEast.body).toContain(east.authId);
    const numbers = await owner.client.get(
      '/api/billing/usage.csv?from=2026-11-01&to=2026-11-30&product=numbers',
    );
    expect((numbers.body as string).trim().split('\r\n')).toHaveLength(1);
    const theirs = await other.client.get('/api/billing/usage.csv?from=2026-11-01&to=2026-11-30');
    expect((theirs.body as string).trim().split('\r\n').slice(1)).toEqual([
      expect.stringContaining(',someone-elses'),
    ]);
  });

  it('refuses a bad filter with 400 before it starts writing', async () => {
    const answer = await owner.client.get(`/api/billing/usage.csv?from=2026-11-31`);
    expect([answer.status, answer.body.code]).toEqual([400, UsageErrors.invalidDate]);
    const foreign = await other.client.get(`/api/billing/usage.csv?subaccount=${east.authId}`);
    expect([foreign.status, foreign.body.code]).toEqual([400, UsageErrors.unknownSubaccount]);
  });
});
