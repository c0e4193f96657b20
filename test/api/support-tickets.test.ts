import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEUTRAL_STATUS_ANSWER } from '../../src/modules/support/service.js';
import { apiAccount } from '../support/api-account.js';
import { ConsoleClient } from '../support/browser-client.js';
import { setUpStaff, signInStaff, uniqueEmail } from '../support/journeys.js';
import { messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let staff: ConsoleClient;
let staffMember: Awaited<ReturnType<typeof setUpStaff>>;
const teamEmail = uniqueEmail('support-team', 'operator.example');

const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('IHDR-screenshot'),
]);
const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n');
const b64 = (bytes: Buffer) => bytes.toString('base64');

const ticketInput = (email: string, extra: Record<string, unknown> = {}) => ({
  email,
  subject: 'Calls drop after 30 seconds',
  description: 'Every outbound call to +44 drops at 30 s.',
  category: 'technical',
  priority: 'high',
  ...extra,
});

/** A visitor (no session) with a network of its own. */
const visitor = () => new ConsoleClient(server.url);

/** The link emailed for a ticket's status, and its token. */
function statusTokens(email: string) {
  return messagesTo(server, email).then((messages) =>
    messages
      .filter((message) => message.subject.includes('Your link to the ticket'))
      .map((message) => /\/support\/ticket\?token=([A-Za-z0-9_-]+)/.exec(message.text)?.[1] as string),
  );
}

async function createdTicket(
  client = visitor(),
  email = uniqueEmail('visitor'),
  extra: Record<string, unknown> = {},
) {
  const answer = await client.post('/api/support/tickets', ticketInput(email, extra));
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return { number: answer.body.number as string, email, client };
}

/** Opens the ticket as its customer would without signing in: asks for the link, opens it. */
async function accessTo(number: string, email: string, client = visitor()) {
  const asked = await client.post('/api/support/status', { number, email });
  expect(asked.status).toBe(202);
  const [token] = await statusTokens(email);
  const opened = await client.post('/api/support/access', { token });
  expect(opened.status, JSON.stringify(opened.body)).toBe(200);
  return opened.body.accessKey as string;
}

async function withAccess(method: string, path: string, accessKey: string, body?: unknown) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      'x-ticket-access': accessKey,
      'x-forwarded-for': '10.200.0.1',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const isJson = response.headers.get('content-type')?.includes('json');
  return {
    status: response.status,
    headers: response.headers,
    body: isJson ? await response.json() : Buffer.from(await response.arrayBuffer()),
  };
}

beforeAll(async () => {
  server = await startTestServer({ SUPPORT_TEAM_EMAIL: teamEmail });
  staffMember = await setUpStaff(server, 'agent');
  staff = await signInStaff(server, staffMember);
}, 120_000);
afterAll(() => server.stop());

describe('creating a support ticket', () => {
  it('gives a visitor a ticket number and an email, and keeps the attachment encrypted, typed by its content', async () => {
    const email = uniqueEmail('visitor');
    const answer = await visitor().post(
      '/api/support/tickets',
      ticketInput(email, { attachments: [{ fileName: 'screenshot.png', content: b64(png) }] }),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.body).toEqual({ number: expect.stringMatching(/^T-\d{6}$/), status: 'open' });
    const [mail] = await messagesTo(server, email);
    expect(mail?.subject).toContain(answer.body.number);

    const stored = await server.system.database.db
      .selectFrom('support_attachments')
      .innerJoin('support_messages', 'support_messages.id', 'support_attachments.message_id')
      .innerJoin('support_tickets', 'support_tickets.id', 'support_messages.ticket_id')
      .select(['support_attachments.content_encrypted', 'support_attachments.content_type'])
      .where('support_tickets.email', '=', email)
      .executeTakeFirstOrThrow();
    expect(stored.content_type).toBe('image/png');
    expect(stored.content_encrypted).not.toContain(b64(png));
    expect(stored.content_encrypted).toMatch(/^v1\./);

    const accessKey = await accessTo(answer.body.number, email);
    const ticket = await withAccess('GET', '/api/support/access/ticket', accessKey);
    const file = ticket.body.messages[0].attachments[0];
    expect(file).toMatchObject({ fileName: 'screenshot.png', contentType: 'image/png', size: png.length });
    const download = await withAccess('GET', `/api/support/access/attachments/${file.id}`, accessKey);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.compare(download.body as Buffer, png)).toBe(0);
  });

  it('refuses an attachment whose extension lies about its content with a clear 400, and creates nothing', async () => {
    const email = uniqueEmail('liar');
    const lying = await visitor().post(
      '/api/support/tickets',
      ticketInput(email, { attachments: [{ fileName: 'invoice.png', content: b64(pdf) }] }),
    );
    expect(lying.status).toBe(400);
    expect(lying.body.code).toBe('attachment_type_mismatch');
    expect(lying.body.detail).toContain('a PDF document');

    const executable = await visitor().post(
      '/api/support/tickets',
      ticketInput(email, {
        attachments: [
          { fileName: 'notes.txt', content: b64(Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0])) },
        ],
      }),
    );
    expect([executable.status, executable.body.code]).toEqual([400, 'attachment_type_not_allowed']);
    const tickets = await server.system.database.db
      .selectFrom('support_tickets')
      .select('id')
      .where('email', '=', email)
      .execute();
    expect(tickets).toEqual([]);
    expect(await messagesTo(server, email)).toEqual([]);
  });

  it('refuses an attachment over the size limit', async () => {
    const big = Buffer.alloc(server.config.supportAttachmentMaxBytes + 1, 'a');
    const answer = await visitor().post(
      '/api/support/tickets',
      ticketInput(uniqueEmail('big'), { attachments: [{ fileName: 'huge.log', content: b64(big) }] }),
    );
    expect([answer.status, answer.body.code]).toEqual([400, 'attachment_too_large']);
  });

  it('lists a member’s ticket among the account’s tickets, and not another account’s', async () => {
    const member = await apiAccount(server);
    const created = await member.client.post(
      '/api/tickets',
      ticketInput(member.email, { category: 'billing' }),
    );
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const list = await member.client.get('/api/tickets');
    expect(list.body.tickets.map((t: { number: string }) => t.number)).toEqual([created.body.number]);
    const outsider = await apiAccount(server);
    expect((await outsider.client.get('/api/tickets')).body.tickets).toEqual([]);
    const peek = await outsider.client.get(`/api/tickets/${created.body.number}`);
    expect([peek.status, peek.body.code]).toEqual([404, 'ticket_not_found']);
  }, 60_000);
});

describe('checking ticket status without signing in', () => {
  it('answers the same for the right email, a wrong email and an unknown number, and emails only the ticket’s address', async () => {
    const { number, email } = await createdTicket();
    const client = visitor();
    const stranger = uniqueEmail('stranger');
    const right = await client.post('/api/support/status', { number, email: email.toUpperCase() });
    const wrong = await client.post('/api/support/status', { number, email: stranger });
    const unknown = await client.post('/api/support/status', { number: 'T-999999', email: stranger });
    const nonsense = await client.post('/api/support/status', { number: 'T-abc', email });
    for (const answer of [right, wrong, unknown, nonsense]) {
      expect(answer.status).toBe(202);
      expect(answer.body).toEqual({ message: NEUTRAL_STATUS_ANSWER });
    }
    expect(await messagesTo(server, stranger)).toEqual([]);
    expect(await statusTokens(email)).toHaveLength(1);
  });

  it('opens the ticket with the emailed link once; the link expires unused after an hour', async () => {
    const { number, email } = await createdTicket();
    const client = visitor();
    await client.post('/api/support/status', { number, email });
    const [token] = await statusTokens(email);
    const first = await client.post('/api/support/access', { token });
    expect(first.status).toBe(200);
    expect(first.body.ticket).toMatchObject({
      number,
      status: 'open',
      subject: 'Calls drop after 30 seconds',
    });
    const again = await client.post('/api/support/access', { token });
    expect([again.status, again.body.code]).toEqual([404, 'ticket_link_invalid']);

    await client.post('/api/support/status', { number, email });
    const [late] = await statusTokens(email);
    expect(late).not.toBe(token);
    server.clock.advanceMinutes(61);
    const expired = await client.post('/api/support/access', { token: late });
    expect([expired.status, expired.body.code]).toEqual([404, 'ticket_link_invalid']);
    // The access the first link granted has expired too.
    const stale = await withAccess('GET', '/api/support/access/ticket', first.body.accessKey);
    expect(stale.status).toBe(404);
    const none = await withAccess('GET', '/api/support/access/ticket', 'not-a-key');
    expect(none.status).toBe(404);
  });

  it('throttles status lookups per network', async () => {
    const client = visitor();
    const answers: number[] = [];
    for (let i = 0; i < 11; i++)
      answers.push(
        (await client.post('/api/support/status', { number: `T-${900000 + i}`, email: uniqueEmail() }))
          .status,
      );
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(202));
    expect(answers[10]).toBe(429);
  });
});

describe('replies, notifications and reopening', () => {
  it('emails each side the other’s replies and moves the status', async () => {
    await signInStaff(server, staffMember, staff);
    const { number, email } = await createdTicket();
    const accessKey = await accessTo(number, email);

    const answered = await staff.post(`/api/staff/tickets/${number}/replies`, {
      body: 'Please send a call log.',
      attachments: [{ fileName: 'howto.pdf', content: b64(pdf) }],
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    expect(answered.body.status).toBe('waiting_on_customer');
    const [reply] = await messagesTo(server, email);
    expect(reply?.subject).toBe(`[${number}] New reply: Calls drop after 30 seconds`);

    const seen = await withAccess('GET', '/api/support/access/ticket', accessKey);
    expect(seen.body.messages.map((m: { author: string }) => m.author)).toEqual(['customer', 'support']);
    expect(seen.body.messages[1].attachments[0]).toMatchObject({
      fileName: 'howto.pdf',
      contentType: 'application/pdf',
    });

    // Unassigned: the operator's support address hears of the customer's reply.
    const customer = await withAccess('POST', '/api/support/access/replies', accessKey, {
      body: 'Here it is.',
      attachments: [{ fileName: 'calls.log', content: b64(Buffer.from('10:00 BYE after 30s\n')) }],
    });
    expect(customer.status, JSON.stringify(customer.body)).toBe(200);
    expect(customer.body.status).toBe('waiting_on_support');
    expect((await messagesTo(server, teamEmail)).some((m) => m.subject.includes(number))).toBe(true);

    // Assigned: the agent is emailed on assignment and on the customer's next reply.
    const other = await setUpStaff(server, 'agent');
    const assigned = await staff.put(`/api/staff/tickets/${number}/assignee`, { assigneeId: other.id });
    expect(assigned.body.assignee).toEqual({ id: other.id, name: 'Sam Reviewer' });
    await withAccess('POST', '/api/support/access/replies', accessKey, { body: 'Any news?' });
    const agentMail = await messagesTo(server, other.email);
    expect(agentMail.map((m) => m.subject)).toEqual([
      `[${number}] Customer replied: Calls drop after 30 seconds`,
      `[${number}] Assigned to you: Calls drop after 30 seconds`,
      expect.stringContaining(''),
    ]);
  });

  it('lets the customer reopen a solved ticket within the reopen window, and not after it', async () => {
    await signInStaff(server, staffMember, staff);
    const { number, email } = await createdTicket();
    const solved = await staff.put(`/api/staff/tickets/${number}/status`, { status: 'solved' });
    expect(solved.body.status).toBe('solved');
    expect((await messagesTo(server, email))[0]?.subject).toBe(
      `[${number}] Solved: Calls drop after 30 seconds`,
    );
    const accessKey = await accessTo(number, email);
    const refused = await withAccess('POST', '/api/support/access/replies', accessKey, {
      body: 'Still broken',
    });
    expect([refused.status, refused.body.code]).toEqual([409, 'ticket_solved']);
    const reopened = await withAccess('POST', '/api/support/access/reopen', accessKey);
    expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
    expect(reopened.body.status).toBe('waiting_on_support');

    await staff.put(`/api/staff/tickets/${number}/status`, { status: 'solved' });
    server.clock.advanceMinutes(8 * 24 * 60);
    const lateKey = await accessTo(number, email);
    const late = await withAccess('POST', '/api/support/access/reopen', lateKey);
    expect([late.status, late.body.code]).toEqual([409, 'reopen_window_passed']);
  });
});

describe('the staff queue', () => {
  it('filters by status, priority, category and account, assigns, and shows what is overdue', async () => {
    staff = await signInStaff(server, staffMember);
    const member = await apiAccount(server);
    const urgent = await member.client.post(
      '/api/tickets',
      ticketInput(member.email, { priority: 'urgent', category: 'compliance' }),
    );
    const low = await member.client.post('/api/tickets', ticketInput(member.email, { priority: 'low' }));
    const mine = [urgent.body.number, low.body.number];

    const byAccount = await staff.get(`/api/staff/tickets?account=${member.authId}`);
    expect(byAccount.status, JSON.stringify(byAccount.body)).toBe(200);
    expect(byAccount.body.tickets.map((t: { number: string }) => t.number).sort()).toEqual([...mine].sort());
    expect(byAccount.body.tickets[0].account).toEqual({
      id: member.accountId,
      authId: member.authId,
      name: expect.any(String),
    });
    const byPriority = await staff.get(`/api/staff/tickets?account=${member.accountId}&priority=urgent`);
    expect(byPriority.body.tickets.map((t: { number: string }) => t.number)).toEqual([urgent.body.number]);
    const byCategory = await staff.get(
      `/api/staff/tickets?account=${member.authId}&category=compliance&status=open`,
    );
    expect(byCategory.body.tickets.map((t: { number: string }) => t.number)).toEqual([urgent.body.number]);
    const none = await staff.get(`/api/staff/tickets?account=${member.authId}&status=solved`);
    expect(none.body.tickets).toEqual([]);

    const assigned = await staff.put(`/api/staff/tickets/${low.body.number}/assignee`, {
      assigneeId: staffMember.id,
    });
    expect(assigned.status).toBe(200);
    const byAssignee = await staff.get(
      `/api/staff/tickets?account=${member.authId}&assignee=${staffMember.id}`,
    );
    expect(byAssignee.body.tickets.map((t: { number: string }) => t.number)).toEqual([low.body.number]);
    const unassigned = await staff.get(`/api/staff/tickets?account=${member.authId}&assignee=none`);
    expect(unassigned.body.tickets.map((t: { number: string }) => t.number)).toEqual([urgent.body.number]);
    const unknownAgent = await staff.put(`/api/staff/tickets/${low.body.number}/assignee`, {
      assigneeId: 'nobody',
    });
    expect([unknownAgent.status, unknownAgent.body.code]).toEqual([404, 'agent_not_found']);

    // Urgent has an hour (SUPPORT_SLA_HOURS default), low 72 hours.
    server.clock.advanceMinutes(61);
    staff = await signInStaff(server, staffMember);
    const overdue = await staff.get(`/api/staff/tickets?account=${member.authId}&overdue=true`);
    expect(
      overdue.body.tickets.map((t: { number: string; overdue: boolean }) => [t.number, t.overdue]),
    ).toEqual([[urgent.body.number, true]]);
    // An answer stops the clock: the ticket waits on the customer.
    await staff.post(`/api/staff/tickets/${urgent.body.number}/replies`, { body: 'On it.' });
    const after = await staff.get(`/api/staff/tickets/${urgent.body.number}`);
    expect([after.body.overdue, after.body.slaDueAt]).toEqual([false, null]);
  }, 60_000);

  it('keeps internal notes and their attachments from the customer, and emails nobody', async () => {
    staff = await signInStaff(server, staffMember);
    const member = await apiAccount(server);
    const created = await member.client.post('/api/tickets', ticketInput(member.email));
    const number = created.body.number as string;
    const before = (await messagesTo(server, member.email)).length;
    const noted = await staff.post(`/api/staff/tickets/${number}/replies`, {
      body: 'Customer is on the old trunk; do not mention it.',
      internal: true,
      attachments: [{ fileName: 'trunk.txt', content: b64(Buffer.from('trunk 7\n')) }],
    });
    expect(noted.status, JSON.stringify(noted.body)).toBe(200);
    const note = noted.body.messages.find((m: { internal: boolean }) => m.internal);
    expect(note).toMatchObject({ author: 'staff', authorName: 'Sam Reviewer' });
    expect(noted.body.status).toBe('open');

    const view = await member.client.get(`/api/tickets/${number}`);
    expect(view.body.messages).toHaveLength(1);
    expect(JSON.stringify(view.body)).not.toContain('old trunk');
    const file = await member.client.get(`/api/tickets/${number}/attachments/${note.attachments[0].id}`);
    expect([file.status, file.body.code]).toEqual([404, 'attachment_not_found']);
    const staffFile = await staff.get(`/api/staff/tickets/${number}/attachments/${note.attachments[0].id}`);
    expect([staffFile.status, staffFile.body]).toEqual([200, 'trunk 7\n']);
    expect(await messagesTo(server, member.email)).toHaveLength(before);

    const accessKey = await accessTo(number, member.email);
    const byLink = await withAccess('GET', '/api/support/access/ticket', accessKey);
    expect(JSON.stringify(byLink.body)).not.toContain('old trunk');
  }, 60_000);
});
