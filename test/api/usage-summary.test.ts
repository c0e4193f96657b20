import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageErrors } from '../../src/modules/billing/errors.js';
import { apiAccount, v1 } from '../support/api-account.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';
import { addDailyUsage } from '../support/usage.js';

/**
 * Billing > Usage Summary over HTTP (GET /api/billing/usage) and the usage API
 * (GET /v1/Account/{auth_id}/Usage/): totals per day and per product and subaccount, read from the
 * daily rollups, for the account and its subaccounts only.
 */
let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let other: Awaited<ReturnType<typeof apiAccount>>;
type Sub = { authId: string; authToken: string; id: string; name: string };
let east: Sub;
let west: Sub;
let othersSub: Sub;

async function subaccount(account: typeof owner, name: string): Promise<Sub> {
  const created = await account.client.post('/api/subaccounts', { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const row = await server.system.database.db
    .selectFrom('accounts')
    .select('id')
    .where('auth_id', '=', created.body.authId)
    .executeTakeFirstOrThrow();
  return { authId: created.body.authId, authToken: created.body.authToken, id: row.id, name };
}

beforeAll(async () => {
  server = await startTestServer();
  owner = await apiAccount(server);
  other = await apiAccount(server);
  east = await subaccount(owner, 'East');
  west = await subaccount(owner, 'West');
  othersSub = await subaccount(other, 'Elsewhere');
  const a = owner.accountId;
  await addDailyUsage(server.system.database.db, [
    { accountId: a, day: '2026-10-31', product: 'voice', events: 9, quantity: 900, amountMicros: 9_000_000n },
    { accountId: a, day: '2026-11-01', product: 'voice', events: 3, quantity: 120, amountMicros: 500_000n },
    {
      accountId: a,
      day: '2026-11-01',
      product: 'voice',
      direction: 'inbound',
      events: 1,
      quantity: 60,
      amountMicros: 8_500n,
    },
    { accountId: a, day: '2026-11-02', product: 'sms', events: 2, quantity: 2, amountMicros: 80_000n },
    {
      accountId: a,
      subaccountId: east.id,
      day: '2026-11-02',
      product: 'sms',
      events: 5,
      quantity: 6,
      amountMicros: 240_000n,
    },
    {
      accountId: a,
      subaccountId: east.id,
      day: '2026-11-15',
      product: 'numbers',
      events: 1,
      quantity: 1,
      amountMicros: 800_000n,
    },
    {
      accountId: a,
      subaccountId: west.id,
      day: '2026-11-03',
      product: 'mms',
      events: 1,
      quantity: 1,
      amountMicros: 20_000n,
    },
    {
      accountId: other.accountId,
      day: '2026-11-02',
      product: 'voice',
      events: 10,
      quantity: 600,
      amountMicros: 9_000_000n,
    },
    {
      accountId: other.accountId,
      subaccountId: othersSub.id,
      day: '2026-11-02',
      product: 'sms',
      events: 4,
      quantity: 4,
      amountMicros: 160_000n,
    },
  ]);
}, 120_000);
afterAll(() => server.stop());

const november = 'from=2026-11-01&to=2026-11-30';
type Line = {
  product: string;
  subaccount: { authId: string } | null;
  events: string;
  quantity: string;
  amount: string;
};
const linesOf = (body: { lines: Line[] }) =>
  body.lines.map((line) => [
    line.product,
    line.subaccount?.authId ?? null,
    line.events,
    line.quantity,
    line.amount,
  ]);

describe('Billing > Usage Summary (console)', () => {
  it('totals the range by day (for the chart) and by product and subaccount (for the table), directions together', async () => {
    const answer = await owner.client.get(`/api/billing/usage?${november}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body).toMatchObject({
      from: '2026-11-01',
      to: '2026-11-30',
      timezone: 'UTC',
      currency: 'USD',
    });
    expect(answer.body.days).toEqual([
      { day: '2026-11-01', events: '4', amount: '0.50850' },
      { day: '2026-11-02', events: '7', amount: '0.32000' },
      { day: '2026-11-03', events: '1', amount: '0.02000' },
      { day: '2026-11-15', events: '1', amount: '0.80000' },
    ]);
    expect(linesOf(answer.body)).toEqual([
      ['sms', null, '2', '2', '0.08000'],
      ['voice', null, '4', '180', '0.50850'],
      ...expectedSubaccountLines(),
    ]);
    expect(answer.body.total).toEqual({ events: '13', amount: '1.64850' });
    expect(answer.body.subaccounts.map((s: { authId: string }) => s.authId).sort()).toEqual(
      [east.authId, west.authId].sort(),
    );
    expect(answer.body.lines.find((line: Line & { unit: string }) => line.product === 'voice').unit).toBe(
      'seconds',
    );
  });

  it('filters by product, and by subaccount (the main Auth ID: the main account’s own usage)', async () => {
    const sms = await owner.client.get(`/api/billing/usage?${november}&product=sms`);
    expect(linesOf(sms.body)).toEqual([
      ['sms', null, '2', '2', '0.08000'],
      ['sms', east.authId, '5', '6', '0.24000'],
    ]);
    expect(sms.body.days).toEqual([{ day: '2026-11-02', events: '7', amount: '0.32000' }]);

    const ofEast = await owner.client.get(`/api/billing/usage?${november}&subaccount=${east.authId}`);
    expect(linesOf(ofEast.body)).toEqual([
      ['numbers', east.authId, '1', '1', '0.80000'],
      ['sms', east.authId, '5', '6', '0.24000'],
    ]);
    const mainOnly = await owner.client.get(`/api/billing/usage?${november}&subaccount=${owner.authId}`);
    expect(linesOf(mainOnly.body)).toEqual([
      ['sms', null, '2', '2', '0.08000'],
      ['voice', null, '4', '180', '0.50850'],
    ]);
    const oneDay = await owner.client.get('/api/billing/usage?from=2026-10-31&to=2026-10-31');
    expect(oneDay.body.total).toEqual({ events: '9', amount: '9.00000' });
  });

  it('refuses bad dates, a reversed or too long range, an unknown product and another account’s subaccount with 400', async () => {
    const refused = async (query: string, code: string) => {
      const answer = await owner.client.get(`/api/billing/usage?${query}`);
      expect([answer.status, answer.body.code], query).toEqual([400, code]);
    };
    await refused('from=2026-02-30&to=2026-03-01', UsageErrors.invalidDate);
    await refused('from=yesterday', UsageErrors.invalidDate);
    await refused('from=2026-11-30&to=2026-11-01', UsageErrors.invalidDateRange);
    await refused('from=2025-01-01&to=2026-11-01', UsageErrors.invalidDateRange);
    await refused(`${november}&product=fax`, UsageErrors.invalidProduct);
    await refused(`${november}&subaccount=${othersSub.authId}`, UsageErrors.unknownSubaccount);
    await refused(`${november}&subaccount=${other.authId}`, UsageErrors.unknownSubaccount);
    await refused(`${november}&subaccount=SANOSUCHSUBACCOUNT00`, UsageErrors.unknownSubaccount);
  });

  it('defaults to the month so far in the account’s time zone', async () => {
    const answer = await owner.client.get('/api/billing/usage');
    const today = server.clock.now().toISOString().slice(0, 10);
    expect([answer.status, answer.body.from, answer.body.to]).toEqual([200, `${today.slice(0, 8)}01`, today]);
  });

  it('never shows another account this account’s usage', async () => {
    const theirs = await other.client.get(`/api/billing/usage?${november}`);
    expect(linesOf(theirs.body)).toEqual([
      ['voice', null, '10', '600', '9.00000'],
      ['sms', othersSub.authId, '4', '4', '0.16000'],
    ]);
  });

  it('lets Support read it and its email setting, and refuses the Developer with 403', async () => {
    const support = await invitedMember(server, owner.client, 'support');
    const developer = await invitedMember(server, owner.client, 'developer');
    const read = await support.client.get(`/api/billing/usage?${november}`);
    expect([read.status, read.body.total]).toEqual([200, { events: '13', amount: '1.64850' }]);
    expect((await support.client.get(`/api/billing/usage.csv?${november}`)).status).toBe(200);
    for (const path of [
      `/api/billing/usage?${november}`,
      '/api/billing/usage.csv',
      '/api/billing/usage/email',
    ]) {
      const refused = await developer.client.get(path);
      expect([refused.status, refused.body.code], path).toEqual([403, 'role_not_permitted']);
    }
    const optIn = await developer.client.put('/api/billing/usage/email', { enabled: true });
    expect([optIn.status, optIn.body.code]).toEqual([403, 'role_not_permitted']);
  }, 60_000);
});

function expectedSubaccountLines() {
  // Subaccounts' lines follow the main account's, ordered by the subaccount's id, then by product.
  const east_ = [
    ['numbers', east.authId, '1', '1', '0.80000'],
    ['sms', east.authId, '5', '6', '0.24000'],
  ];
  const west_ = [['mms', west.authId, '1', '1', '0.02000']];
  return east.id < west.id ? [...east_, ...west_] : [...west_, ...east_];
}

describe('the usage API (GET /v1/Account/{auth_id}/Usage/)', () => {
  it('answers totals per product and subaccount in Plivo’s list envelope, money with 5 decimals', async () => {
    const answer = await v1(server, owner, 'GET', `/Account/${owner.authId}/Usage/?${november}`);
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.meta).toEqual({ limit: 20, next: null, offset: 0, previous: null, total_count: 5 });
    expect(answer.body.objects[0]).toEqual({
      product: 'sms',
      subaccount: null,
      from: '2026-11-01',
      to: '2026-11-30',
      events: 2,
      quantity: 2,
      unit: 'segments',
      amount: '0.08000',
      currency: 'USD',
    });
    expect(
      answer.body.objects.map((o: { product: string; subaccount: string | null }) => [
        o.product,
        o.subaccount,
      ]),
    ).toEqual([
      ['sms', null],
      ['voice', null],
      ...expectedSubaccountLines().map(([product, sub]) => [product, sub]),
    ]);
    const paged = await v1(
      server,
      owner,
      'GET',
      `/Account/${owner.authId}/Usage/?${november}&limit=2&offset=2`,
    );
    expect([paged.body.meta.total_count, paged.body.objects.length, paged.body.meta.previous]).toEqual([
      5,
      2,
      `/v1/Account/${owner.authId}/Usage/?limit=2&offset=0`,
    ]);
    const voice = await v1(server, owner, 'GET', `/Account/${owner.authId}/Usage/?${november}&product=voice`);
    expect(voice.body.objects).toEqual([
      expect.objectContaining({ product: 'voice', events: 4, quantity: 180, amount: '0.50850' }),
    ]);
  });

  it('shows a subaccount’s credentials only its own usage, and refuses naming a sibling with 400', async () => {
    const own = await v1(server, east, 'GET', `/Account/${east.authId}/Usage/?${november}`);
    expect(own.status).toBe(200);
    expect(
      own.body.objects.map((o: { product: string; subaccount: string }) => [o.product, o.subaccount]),
    ).toEqual([
      ['numbers', east.authId],
      ['sms', east.authId],
    ]);
    const sibling = await v1(
      server,
      east,
      'GET',
      `/Account/${east.authId}/Usage/?${november}&subaccount=${west.authId}`,
    );
    expect([sibling.status, sibling.body.error]).toEqual([400, expect.stringContaining('not a subaccount')]);
    const main = await v1(server, east, 'GET', `/Account/${owner.authId}/Usage/?${november}`);
    expect(main.status).toBe(404);
  });

  it('answers bad dates and an unknown subaccount with 400 in Plivo’s error shape', async () => {
    for (const query of [
      'from=2026-13-01',
      'from=2026-11-30&to=2026-11-01',
      `subaccount=${othersSub.authId}`,
    ]) {
      const answer = await v1(server, owner, 'GET', `/Account/${owner.authId}/Usage/?${query}`);
      expect([answer.status, Object.keys(answer.body).sort()], query).toEqual([400, ['api_id', 'error']]);
    }
  });
});
