import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/http/permissions.js';
import { money } from '../../src/lib/money.js';
import { apiAccount } from '../support/api-account.js';
import type { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { invitedMember } from '../support/team.js';

/**
 * Billing > Invoices through the real server: the hourly job issues last month's invoice once the
 * month has ended in the account's zone; the Owner and Financial Analysts are mailed; Owner, Admin
 * and Financial Analyst list and download it (a real PDF, the same bytes every time); a Developer may
 * not; another account's invoice is not found; nothing changes an issued invoice.
 */
let server: TestServer;
let owner: Awaited<ReturnType<typeof apiAccount>>;
let elsewhere: Awaited<ReturnType<typeof apiAccount>>;
let analyst: Awaited<ReturnType<typeof invitedMember>>;
let developer: Awaited<ReturnType<typeof invitedMember>>;
/** The month the test's ledger entries are dated in, 'YYYY-MM'. */
let month: string;

/** A GET whose body is kept as bytes (ConsoleClient reads text). */
async function download(client: ConsoleClient, path: string) {
  const headers: Record<string, string> = { 'user-agent': client.userAgent };
  if (client.ip !== '127.0.0.1') headers['x-forwarded-for'] = client.ip;
  headers.cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const response = await fetch(`${server.url}${path}`, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

beforeAll(async () => {
  server = await startTestServer();
  // The latest month that ended over an hour ago (UTC, the accounts' zone): the one the job invoices now.
  const { rows } = await sql<{ month: string }>`
    SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC' - interval '1 hour') - interval '1 month', 'YYYY-MM')
      AS month`.execute(server.system.database.db);
  month = (rows[0] as { month: string }).month;
  owner = await apiAccount(server);
  elsewhere = await apiAccount(server);
  analyst = await invitedMember(server, owner.client, 'financial_analyst');
  developer = await invitedMember(server, owner.client, 'developer');
}, 120_000);
afterAll(() => server.stop());

describe('Billing > Invoices', () => {
  it('says when the first invoice comes while there is none', async () => {
    const list = await owner.client.get('/api/billing/invoices');
    expect(list.status).toBe(200);
    expect(list.body.invoices).toEqual([]);
    expect(list.body.next.period).toMatch(/^\d{4}-\d{2}$/);
    expect(Date.parse(list.body.next.issuedAfter)).toBeGreaterThan(server.clock.now().getTime());
  });

  it('issues last month’s invoice from the hourly job and mails the Owner and Financial Analysts', async () => {
    for (const account of [owner, elsewhere])
      await server.system.ledger.post([
        {
          accountId: account.accountId,
          subaccountId: null,
          kind: 'recharge',
          amount: money(25_000_000n, 'USD'),
          idempotencyKey: `test-recharge-${account.accountId}`,
          causedBy: 'cli',
          description: 'Test card •••• 4242',
        },
      ]);
    // The ledger dates entries now; these are dated in last month, as if posted then.
    await server.system.database.db
      .updateTable('ledger_entries')
      .set({ created_at: sql`${`${month}-15T12:00:00Z`}::timestamptz` })
      .where('idempotency_key', 'like', 'test-recharge-%')
      .execute();
    // This hour's scheduled run happened at start, before these entries: run the declared job again.
    const jobId = await server.system.jobs.enqueue('billing.invoices.issue', {}, { key: 'test-run' });
    // The started runner may have taken it already (drain then finds nothing): wait for it to finish.
    for (let round = 0; round < 100; round++) {
      await server.system.jobs.drain();
      const job = await server.system.database.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', BigInt(jobId as string))
        .executeTakeFirstOrThrow();
      if (job.state === 'completed') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const list = await owner.client.get('/api/billing/invoices');
    expect(list.status).toBe(200);
    expect(list.body.invoices).toHaveLength(1);
    const [invoice] = list.body.invoices;
    expect(invoice).toMatchObject({
      number: expect.stringMatching(/^INV-\d{6}$/),
      period: month,
      currency: 'USD',
      openingMicros: '0',
      creditsMicros: '25000000',
      debitsMicros: '0',
      closingMicros: '25000000',
    });
    const subject = `Invoice ${invoice.number} for `;
    for (const email of [owner.email, analyst.email]) {
      const mailed = (await messagesTo(server, email)).filter((message) =>
        message.subject.startsWith(subject),
      );
      expect(mailed).toHaveLength(1);
      expect(mailed[0]?.text).toContain('/billing/invoices');
    }
    expect(
      (await messagesTo(server, developer.email)).filter((message) => message.subject.startsWith('Invoice ')),
    ).toEqual([]);
    // Other runs issue nothing more.
    expect(await Promise.all([server.system.invoices.issueDue(), server.system.invoices.issueDue()])).toEqual(
      [[], []],
    );
    expect((await owner.client.get('/api/billing/invoices')).body.invoices).toHaveLength(1);
  });

  it('downloads as a real PDF, the same bytes every time, for the Owner and a Financial Analyst', async () => {
    const [invoice] = (await owner.client.get('/api/billing/invoices')).body.invoices;
    const first = await download(owner.client, `/api/billing/invoices/${invoice.id}.pdf`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/pdf');
    expect(first.headers.get('content-disposition')).toBe(`attachment; filename="${invoice.number}.pdf"`);
    expect(first.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(createHash('sha256').update(first.bytes).digest('hex')).toBe(invoice.pdfSha256);
    const again = await download(analyst.client, `/api/billing/invoices/${invoice.id}.pdf`);
    expect(again.status).toBe(200);
    expect(again.bytes.equals(first.bytes)).toBe(true);
    expect((await analyst.client.get('/api/billing/invoices')).status).toBe(200);
  });

  it('refuses a Developer (403) and hides the invoice from another account (404)', async () => {
    const [invoice] = (await owner.client.get('/api/billing/invoices')).body.invoices;
    expect((await developer.client.get('/api/billing/invoices')).status).toBe(403);
    expect((await download(developer.client, `/api/billing/invoices/${invoice.id}.pdf`)).status).toBe(403);
    const theirs = await elsewhere.client.get('/api/billing/invoices');
    expect(theirs.body.invoices).toHaveLength(1);
    expect(theirs.body.invoices[0].id).not.toBe(invoice.id);
    const stranger = await elsewhere.client.get(`/api/billing/invoices/${invoice.id}.pdf`);
    expect([stranger.status, stranger.body.code]).toEqual([404, 'invoice_not_found']);
    const unknown = await owner.client.get('/api/billing/invoices/0badc0de-0000-4000-8000-00000000dead.pdf');
    expect(unknown.status).toBe(404);
  });

  it('lets staff list and download an account’s invoices, and no member reach them there', async () => {
    const [invoice] = (await owner.client.get('/api/billing/invoices')).body.invoices;
    const staff = await signInStaff(server, await setUpStaff(server, 'agent'));
    const listed = await staff.get(`/api/staff/accounts/${owner.accountId}/invoices`);
    expect([listed.status, listed.body.invoices]).toEqual([200, [invoice]]);
    const mine = await download(owner.client, `/api/billing/invoices/${invoice.id}.pdf`);
    const theirs = await download(staff, `/api/staff/accounts/${owner.accountId}/invoices/${invoice.id}.pdf`);
    expect([theirs.status, theirs.headers.get('content-type')]).toEqual([200, 'application/pdf']);
    expect(theirs.bytes.equals(mine.bytes)).toBe(true);
    const wrongAccount = await staff.get(
      `/api/staff/accounts/${elsewhere.accountId}/invoices/${invoice.id}.pdf`,
    );
    expect(wrongAccount.status).toBe(404);
    expect(
      (await owner.client.get(`/api/staff/accounts/${owner.accountId}/invoices`)).status,
    ).toBeGreaterThanOrEqual(401);
  });

  it('has no route that changes an issued invoice', async () => {
    const invoiceRoutes = Object.keys(permissions).filter((key) => key.includes('/api/billing/invoices'));
    expect(invoiceRoutes.sort()).toEqual(['GET /api/billing/invoices', 'GET /api/billing/invoices/:id.pdf']);
    const served = server.app.routeList.filter((route) => route.url.includes('invoices'));
    expect(served.every((route) => route.method === 'GET')).toBe(true);
    const [invoice] = (await owner.client.get('/api/billing/invoices')).body.invoices;
    const before = await download(owner.client, `/api/billing/invoices/${invoice.id}.pdf`);
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const)
      for (const path of [`/api/billing/invoices/${invoice.id}.pdf`, `/api/billing/invoices/${invoice.id}`]) {
        const answer = await owner.client.request(method, path, method === 'DELETE' ? undefined : {});
        expect(answer.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      }
    const after = await download(owner.client, `/api/billing/invoices/${invoice.id}.pdf`);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect((await owner.client.get('/api/billing/invoices')).body.invoices).toEqual([invoice]);
  });
});
