import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountErrors } from '../../src/modules/accounts/errors.js';
import { PasswordPolicyErrors } from '../../src/modules/identity/password-policy.js';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { StaffErrors } from '../../src/modules/staff/errors.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  advanceToMiddleOfStep,
  later,
  onboardedUser,
  setUpStaff,
  signInStaff,
  staffPassword,
  uniqueEmail,
} from '../support/journeys.js';
import { lastMessageTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** A customer whose account is held for review (its website differs from its email domain). */
async function heldAccount() {
  const owner = await onboardedUser(server, { businessProfile: false });
  const response = await owner.client.post('/api/onboarding/business-profile', {
    companyName: 'Acme Telecom',
    website: 'https://unrelated.example',
    country: 'US',
    intendedUse: 'Appointment reminders by SMS',
  });
  expect(response.body.account.status).toBe('under_review');
  return { ...owner, accountId: response.body.account.id as string };
}

const statusOf = async (owner: { client: ConsoleClient }) =>
  (await owner.client.get('/api/me')).body.account.status as string;

describe('staff setup', () => {
  it('sets the password and authenticator app from the link the CLI prints, which then stops working', async () => {
    const staff = await setUpStaff(server);
    const again = await new ConsoleClient(server.url).get(`/api/staff/setup/${staff.token}`);
    expect(again.status).toBe(410);
    expect(again.body.code).toBe('link_used');
    expect(again.body.secret).toBeUndefined();
  });

  it('emails the setup link to the new staff member', async () => {
    const email = uniqueEmail('staff');
    const created = await server.system.staff.create({ email, name: 'Sam Reviewer', role: 'staff_admin' });
    const message = await lastMessageTo(server, email);
    expect(message.text).toContain(created.setupLink);
  });

  it('refuses a weak password or a wrong app code, and leaves the link usable', async () => {
    const email = uniqueEmail('staff');
    const created = await server.system.staff.create({ email, name: 'Sam Reviewer', role: 'agent' });
    const token = new URL(created.setupLink).searchParams.get('token') as string;
    const client = new ConsoleClient(server.url);
    const { secret } = (await client.get(`/api/staff/setup/${token}`)).body;
    const code = totpCodeAt(secret, server.clock.now());
    const weak = await client.post('/api/staff/setup', { token, password: 'password', code });
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe(PasswordPolicyErrors.weakPassword);
    const wrongCode = await client.post('/api/staff/setup', {
      token,
      password: staffPassword,
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrongCode.status).toBe(400);
    expect(wrongCode.body.code).toBe(StaffErrors.codeIncorrect('').code);
    expect((await client.post('/api/staff/setup', { token, password: staffPassword, code })).status).toBe(
      204,
    );
  });

  it('refuses a setup link after 72 hours', async () => {
    const created = await server.system.staff.create({
      email: uniqueEmail('staff'),
      name: 'Sam Reviewer',
      role: 'agent',
    });
    const token = new URL(created.setupLink).searchParams.get('token') as string;
    await later(server, 72 * 60 + 1, async () => {
      const response = await new ConsoleClient(server.url).get(`/api/staff/setup/${token}`);
      expect(response.status).toBe(410);
      expect(response.body.code).toBe('link_expired');
    });
  });

  it('refuses a staff member without a finished setup at sign-in', async () => {
    const email = uniqueEmail('staff');
    await server.system.staff.create({ email, name: 'Sam Reviewer', role: 'agent' });
    const response = await new ConsoleClient(server.url).post('/api/staff/session', {
      email,
      password: staffPassword,
    });
    expect(response.status).toBe(401);
  });
});

describe('staff sign-in', () => {
  it('signs in with password and a code from the authenticator app', async () => {
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    const session = await client.get('/api/staff/session');
    expect(session.status).toBe(200);
    expect(session.body.staff).toMatchObject({ email: staff.email, role: 'agent' });
  });

  it('refuses a wrong password with the same message as an unknown email', async () => {
    const staff = await setUpStaff(server);
    const wrong = await new ConsoleClient(server.url).post('/api/staff/session', {
      email: staff.email,
      password: 'Wrong-Harbor-Lantern-41',
    });
    const unknown = await new ConsoleClient(server.url).post('/api/staff/session', {
      email: uniqueEmail('nobody'),
      password: staffPassword,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
  });

  it('pauses staff sign-in after 5 wrong passwords, even with the right one', async () => {
    const staff = await setUpStaff(server);
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 5; i++) {
      const response = await client.post('/api/staff/session', {
        email: staff.email,
        password: 'Wrong-Harbor-Lantern-41',
      });
      expect(response.status).toBe(401);
    }
    const right = await new ConsoleClient(server.url).post('/api/staff/session', {
      email: staff.email,
      password: staffPassword,
    });
    expect(right.status).toBe(429);
  });

  it('refuses a wrong code and the code already used at setup', async () => {
    const staff = await setUpStaff(server);
    const client = new ConsoleClient(server.url);
    const setupCode = totpCodeAt(staff.secret, server.clock.now());
    const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
    client.csrfToken = first.body.csrfToken;
    const replay = await client.post('/api/staff/session/second-factor', { code: setupCode });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe(StaffErrors.codeIncorrect('').code);
    advanceToMiddleOfStep(server, 1);
    const right = totpCodeAt(staff.secret, server.clock.now());
    const wrong = await client.post('/api/staff/session/second-factor', {
      code: right === '000000' ? '111111' : '000000',
    });
    expect(wrong.status).toBe(400);
    expect((await client.get('/api/staff/reviews')).status).toBe(403);
  });

  it('refuses a code used for one sign-in at the next', async () => {
    const staff = await setUpStaff(server);
    await signInStaff(server, staff);
    const used = totpCodeAt(staff.secret, server.clock.now());
    const client = new ConsoleClient(server.url);
    const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
    client.csrfToken = first.body.csrfToken;
    expect((await client.post('/api/staff/session/second-factor', { code: used })).status).toBe(400);
  });

  it('issues a new session after the code; the pre-2FA cookie stops working', async () => {
    const staff = await setUpStaff(server);
    advanceToMiddleOfStep(server, 1);
    const client = new ConsoleClient(server.url);
    const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
    client.csrfToken = first.body.csrfToken;
    const preAuth = client.cookies.get('sb_staff_session') as string;
    const second = await client.post('/api/staff/session/second-factor', {
      code: totpCodeAt(staff.secret, server.clock.now()),
    });
    expect(second.status).toBe(200);
    expect(client.cookies.get('sb_staff_session')).not.toBe(preAuth);
    const old = new ConsoleClient(server.url);
    old.cookies.set('sb_staff_session', preAuth);
    expect((await old.get('/api/staff/session')).status).toBe(401);
  });

  it('signs out', async () => {
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    const token = client.cookies.get('sb_staff_session') as string;
    expect((await client.delete('/api/staff/session')).status).toBe(204);
    const old = new ConsoleClient(server.url);
    old.cookies.set('sb_staff_session', token);
    expect((await old.get('/api/staff/reviews')).status).toBe(401);
  });
});

describe('the staff door', () => {
  it('refuses a customer session on every staff route', async () => {
    const { client } = await onboardedUser(server);
    const { accountId } = await heldAccount();
    expect((await client.get('/api/staff/reviews')).status).toBe(401);
    expect((await client.get('/api/staff/session')).status).toBe(401);
    const decision = await client.post(`/api/staff/reviews/${accountId}/decision`, {
      decision: 'approve',
      note: '',
    });
    expect(decision.status).toBe(401);
  });

  it("refuses a customer's session token presented as a staff cookie", async () => {
    const { client } = await onboardedUser(server);
    const forged = new ConsoleClient(server.url);
    forged.cookies.set('sb_staff_session', client.cookies.get('sb_session') as string);
    expect((await forged.get('/api/staff/reviews')).status).toBe(401);
  });

  it("refuses a staff session token presented as a customer's cookie", async () => {
    const staffClient = await signInStaff(server, await setUpStaff(server));
    const forged = new ConsoleClient(server.url);
    forged.cookies.set('sb_session', staffClient.cookies.get('sb_staff_session') as string);
    expect((await forged.get('/api/me')).status).toBe(401);
  });

  it('refuses staff routes until the authenticator code is entered', async () => {
    const staff = await setUpStaff(server);
    const { accountId } = await heldAccount();
    const client = new ConsoleClient(server.url);
    const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
    client.csrfToken = first.body.csrfToken;
    const queue = await client.get('/api/staff/reviews');
    expect(queue.status).toBe(403);
    expect(queue.body.code).toBe('second_factor_required');
    const decision = await client.post(`/api/staff/reviews/${accountId}/decision`, {
      decision: 'approve',
      note: 'ok',
    });
    expect(decision.status).toBe(403);
  });
});

describe('review queue', () => {
  it('lists accounts held for review with their owner and reason', async () => {
    const held = await heldAccount();
    const active = await onboardedUser(server);
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await staff.get('/api/staff/reviews');
    expect(response.status).toBe(200);
    const entry = response.body.accounts.find((a: { id: string }) => a.id === held.accountId);
    expect(entry).toMatchObject({
      ownerEmail: held.email,
      website: 'https://unrelated.example',
      reviewReason: expect.stringMatching(/^business_information/),
    });
    const activeAccountId = (await active.client.get('/api/me')).body.account.id;
    expect(response.body.accounts.some((a: { id: string }) => a.id === activeAccountId)).toBe(false);
  });

  it('approves an account with a note: it becomes active and the owner is emailed', async () => {
    const held = await heldAccount();
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await staff.post(`/api/staff/reviews/${held.accountId}/decision`, {
      decision: 'approve',
      note: 'Website ownership confirmed by phone.',
    });
    expect(response.status).toBe(200);
    expect(response.body.account.status).toBe('active');
    expect(await statusOf(held)).toBe('active');
    const email = await lastMessageTo(server, held.email);
    expect(email.subject).toBe('Your account is active');
    expect(email.text).toContain('Website ownership confirmed by phone.');
    const queue = await staff.get('/api/staff/reviews');
    expect(queue.body.accounts.some((a: { id: string }) => a.id === held.accountId)).toBe(false);
  });

  it('rejects an account with a note: it is rejected and the owner is emailed the reason', async () => {
    const held = await heldAccount();
    const staff = await signInStaff(server, await setUpStaff(server, 'staff_admin'));
    const response = await staff.post(`/api/staff/reviews/${held.accountId}/decision`, {
      decision: 'reject',
      note: 'The website does not belong to the company.',
    });
    expect(response.status).toBe(200);
    expect(await statusOf(held)).toBe('rejected');
    const email = await lastMessageTo(server, held.email);
    expect(email.subject).toBe('Your account could not be activated');
    expect(email.text).toContain('The website does not belong to the company.');
  });

  it('refuses to reject without a note', async () => {
    const held = await heldAccount();
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await staff.post(`/api/staff/reviews/${held.accountId}/decision`, {
      decision: 'reject',
      note: '   ',
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(AccountErrors.noteRequired);
    expect(await statusOf(held)).toBe('under_review');
  });

  it('refuses a decision on an account that is not under review', async () => {
    const { client } = await onboardedUser(server);
    const accountId = (await client.get('/api/me')).body.account.id;
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await staff.post(`/api/staff/reviews/${accountId}/decision`, {
      decision: 'reject',
      note: 'No.',
    });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(AccountErrors.notUnderReview);
    expect(await statusOf({ client })).toBe('active');
  });

  it('answers 404 for an unknown account', async () => {
    const staff = await signInStaff(server, await setUpStaff(server));
    const response = await staff.post('/api/staff/reviews/00000000-0000-4000-8000-000000000000/decision', {
      decision: 'approve',
      note: '',
    });
    expect(response.status).toBe(404);
  });

  it('needs the staff CSRF token to decide', async () => {
    const held = await heldAccount();
    const staff = await signInStaff(server, await setUpStaff(server));
    staff.csrfToken = '';
    const response = await staff.post(`/api/staff/reviews/${held.accountId}/decision`, {
      decision: 'approve',
      note: '',
    });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('csrf_token_invalid');
    expect(await statusOf(held)).toBe('under_review');
  });
});
