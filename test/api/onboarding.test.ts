import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/http/permissions.js';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { ConsoleClient, uniqueIp } from '../support/browser-client.js';
import {
  later,
  onboardedUser,
  passwordStep,
  setUpStaff,
  signInStaff,
  strongPassword,
  uniqueEmail,
  uniquePhone,
} from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn, messagesTo } from '../support/outbox.js';
import { riskListedAddress, riskListedDomain, startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('sign-up', () => {
  it('refuses a personal email domain such as gmail.com with a message saying a work email is required', async () => {
    const client = new ConsoleClient(server.url);
    const response = await client.post('/api/signup', {
      name: 'Ada',
      email: 'ada@gmail.com',
      password: strongPassword,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.workEmailRequired('').code);
    expect(response.body.detail).toMatch(/work email is required/i);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'email' }));
  });

  it('refuses a disposable email domain', async () => {
    const response = await new ConsoleClient(server.url).post('/api/signup', {
      name: 'Ada',
      email: 'ada@mailinator.com',
      password: strongPassword,
    });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.workEmailRequired('').code);
  });

  it('refuses a weak password and says why', async () => {
    const response = await new ConsoleClient(server.url).post('/api/signup', {
      name: 'Ada',
      email: uniqueEmail(),
      password: 'Password123!',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual({
      field: 'password',
      message: expect.stringMatching(/too easy to guess/),
    });
  });

  it('refuses a short password listing each missing rule', async () => {
    const response = await new ConsoleClient(server.url).post('/api/signup', {
      name: 'Ada',
      email: uniqueEmail(),
      password: 'abc',
    });
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/at least 12 characters/);
    expect(response.body.detail).toMatch(/upper-case/);
  });

  it('refuses sign-up from an address on the VPN deny list, asking to turn off the VPN', async () => {
    const client = new ConsoleClient(server.url, '198.51.100.23');
    const response = await client.post('/api/signup', {
      name: 'Ada',
      email: uniqueEmail(),
      password: strongPassword,
    });
    expect(response.status).toBe(403);
    expect(response.body.detail).toMatch(/turn off your VPN/i);
  });

  it('refuses a second sign-up with the same email and creates nothing', async () => {
    const email = uniqueEmail();
    await new ConsoleClient(server.url).post('/api/signup', { name: 'Ada', email, password: strongPassword });
    const db = server.system.database.db;
    const accountsBefore = await db
      .selectFrom('accounts')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const again = await new ConsoleClient(server.url).post('/api/signup', {
      name: 'Ada Again',
      email,
      password: strongPassword,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe(IdentityErrors.emailTaken('user').code);
    expect(again.headers.getSetCookie().some((cookie) => cookie.startsWith('sb_session='))).toBe(false);
    const users = await db.selectFrom('users').select('name').where('email', '=', email).execute();
    expect(users).toEqual([{ name: 'Ada' }]);
    const accountsAfter = await db
      .selectFrom('accounts')
      .select(db.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(accountsAfter.n).toEqual(accountsBefore.n);
    expect(await messagesTo(server, email)).toHaveLength(1);
  });

  it('answers a malformed body with a 400 naming the field', async () => {
    const response = await new ConsoleClient(server.url).post('/api/signup', { email: 'x@acme-telecom.com' });
    expect(response.status).toBe(400);
    expect(response.body.errors).toContainEqual(expect.objectContaining({ field: 'name' }));
  });
});

describe('email verification', () => {
  it('verifies the email with the activation link, which then cannot be used again', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    const token = linkIn((await lastMessageTo(server, email)).text);
    const first = await client.post('/api/email-verification', { token });
    expect(first.status).toBe(200);
    expect(first.body.email).toBe(email);
    const second = await client.post('/api/email-verification', { token });
    expect(second.status).toBe(410);
    expect(second.body.code).toBe(IdentityErrors.linkUsed().code);
  });

  it('refuses an activation link older than 24 hours and offers a new one', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    await client.refreshSession();
    const token = linkIn((await lastMessageTo(server, email)).text);
    server.clock.advanceMinutes(24 * 60 + 1);
    try {
      const expired = await new ConsoleClient(server.url).post('/api/email-verification', { token });
      expect(expired.status).toBe(410);
      expect(expired.body.code).toBe(IdentityErrors.linkExpired().code);
    } finally {
      server.clock.advanceMinutes(-(24 * 60 + 1));
    }
    const resent = await client.post('/api/email-verification/resend');
    expect(resent.status).toBe(202);
    const fresh = linkIn((await lastMessageTo(server, email)).text);
    expect(fresh).not.toBe(token);
    expect((await client.post('/api/email-verification', { token })).status).toBe(410);
    expect((await client.post('/api/email-verification', { token: fresh })).status).toBe(200);
  });

  it('refuses the activation link from a VPN address, and the link still works without the VPN', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    const token = linkIn((await lastMessageTo(server, email)).text);
    const viaVpn = await new ConsoleClient(server.url, '198.51.100.41').post('/api/email-verification', {
      token,
    });
    expect(viaVpn.status).toBe(403);
    expect(viaVpn.body.code).toBe(IdentityErrors.vpnNotAllowed().code);
    expect(viaVpn.body.detail).toMatch(/turn off your VPN/i);
    expect((await client.post('/api/email-verification', { token })).status).toBe(200);
  });

  it('resends the activation link at most twice an hour after the sign-up email (3 emails an address)', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    await client.refreshSession();
    expect((await client.post('/api/email-verification/resend')).status).toBe(202);
    expect((await client.post('/api/email-verification/resend')).status).toBe(202);
    const refused = await client.post('/api/email-verification/resend');
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/already sent to this address/);
    expect(refused.headers.get('retry-after')).toBeTruthy();
    expect(await messagesTo(server, email)).toHaveLength(3);
  });

  it('sends at most 20 emails an hour for sign-ups and resends from one network', async () => {
    const network = uniqueIp();
    const statuses: number[] = [];
    for (let person = 0; person < 7; person++) {
      const client = new ConsoleClient(server.url, network);
      statuses.push(
        (await client.post('/api/signup', { name: 'Ada', email: uniqueEmail(), password: strongPassword }))
          .status,
      );
      await client.refreshSession();
      for (let i = 0; i < 2; i++) {
        const resent = await client.post('/api/email-verification/resend');
        statuses.push(resent.status);
        if (resent.status === 429) expect(resent.body.detail).toMatch(/from your network/);
      }
    }
    expect(statuses.filter((status) => status !== 429)).toHaveLength(20);
    expect(statuses.at(-1)).toBe(429);
  });

  it('says an unknown link is not valid', async () => {
    const response = await new ConsoleClient(server.url).post('/api/email-verification', {
      token: 'x'.repeat(43),
    });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe(IdentityErrors.linkInvalid().code);
  });
});

describe('phone verification', () => {
  async function signedUp() {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    await client.post('/api/signup', { name: 'Ada', email, password: strongPassword });
    await client.refreshSession();
    await client.post('/api/email-verification', {
      token: linkIn((await lastMessageTo(server, email)).text),
    });
    return { client, email };
  }

  it('asks for the email to be verified first', async () => {
    const client = new ConsoleClient(server.url);
    await client.post('/api/signup', { name: 'Ada', email: uniqueEmail(), password: strongPassword });
    await client.refreshSession();
    const response = await client.post('/api/onboarding/phone', { phone: uniquePhone(), channel: 'sms' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe(IdentityErrors.emailNotVerified('').code);
  });

  it('refuses a number that is not a valid E.164 phone number', async () => {
    const { client } = await signedUp();
    const response = await client.post('/api/onboarding/phone', { phone: '+1 555', channel: 'sms' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.invalidPhone().code);
  });

  it('sends the code by voice call when the user picks voice', async () => {
    const { client } = await signedUp();
    const phone = uniquePhone();
    await client.post('/api/onboarding/phone', { phone, channel: 'voice' });
    expect((await lastMessageTo(server, phone)).channel).toBe('voice');
  });

  it('allows five wrong codes, then asks for a new code', async () => {
    const { client } = await signedUp();
    const phone = uniquePhone();
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 1; i <= 4; i++) {
      const response = await client.post('/api/onboarding/phone/verify', { code: wrong });
      expect(response.status).toBe(400);
      expect(response.body.detail).toMatch(`${5 - i} attempt`);
    }
    expect((await client.post('/api/onboarding/phone/verify', { code: wrong })).status).toBe(410);
    const afterwards = await client.post('/api/onboarding/phone/verify', { code });
    expect(afterwards.status).toBe(410);
    expect(afterwards.body.code).toBe(IdentityErrors.codeAttemptsUsed().code);
  });

  it('refuses a code after 10 minutes', async () => {
    const { client } = await signedUp();
    const phone = uniquePhone();
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    const code = codeIn((await lastMessageTo(server, phone)).text);
    server.clock.advanceMinutes(11);
    try {
      const response = await client.post('/api/onboarding/phone/verify', { code });
      expect(response.status).toBe(410);
      expect(response.body.code).toBe(IdentityErrors.codeExpired().code);
    } finally {
      server.clock.advanceMinutes(-11);
    }
  });

  it('throttles resending: a second code within 30 seconds is refused, and only the latest code works', async () => {
    const { client } = await signedUp();
    const phone = uniquePhone();
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    const first = codeIn((await lastMessageTo(server, phone)).text);
    const tooSoon = await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    expect(tooSoon.status).toBe(429);
    expect(tooSoon.headers.get('retry-after')).toBeTruthy();
    server.clock.advanceMinutes(1);
    await client.post('/api/onboarding/phone', { phone, channel: 'sms' });
    server.clock.advanceMinutes(-1);
    const second = codeIn((await lastMessageTo(server, phone)).text);
    if (first !== second) {
      expect((await client.post('/api/onboarding/phone/verify', { code: first })).status).toBe(400);
    }
    expect((await client.post('/api/onboarding/phone/verify', { code: second })).status).toBe(200);
  });

  it('sends at most 5 codes an hour, then asks to try later', async () => {
    const { client } = await signedUp();
    const phone = uniquePhone();
    const sendAt = (minute: number) =>
      later(server, minute, () => client.post('/api/onboarding/phone', { phone, channel: 'sms' }));
    for (let minute = 0; minute < 5; minute++) expect((await sendAt(minute)).status).toBe(202);
    const sixth = await sendAt(5);
    expect(sixth.status).toBe(429);
    expect(sixth.body.detail).toMatch(/Too many codes were sent in the last hour/);
    expect(await messagesTo(server, phone)).toHaveLength(5);
  });

  it('refuses phone verification from a VPN address', async () => {
    const { client } = await signedUp();
    client.ip = '198.51.100.77';
    const response = await client.post('/api/onboarding/phone', { phone: uniquePhone(), channel: 'sms' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe(IdentityErrors.vpnNotAllowed().code);
  });
});

describe('mandatory 2FA', () => {
  it('keeps a user without a second factor out of every console page beyond enrollment', async () => {
    const client = new ConsoleClient(server.url);
    await client.post('/api/signup', { name: 'Ada', email: uniqueEmail(), password: strongPassword });
    await client.refreshSession();
    for (const path of ['/api/me', '/api/security', '/api/security/sign-ins']) {
      const response = await client.get(path);
      expect(response.status, path).toBe(403);
      expect(response.body.code).toBe('verification_incomplete');
    }
  });

  const memberRoutes = Object.entries(permissions)
    .filter(([, rule]) => (typeof rule === 'string' ? rule : rule.access) === 'member')
    .map(([key]) => key.split(' ') as [string, string]);
  const callEach = (client: ConsoleClient) =>
    Promise.all(
      memberRoutes.map(async ([method, url]) => {
        const path = url.replace(/:\w+/g, () => randomUUID());
        const answer = await client.request(
          method,
          path,
          method === 'GET' || method === 'DELETE' ? undefined : {},
        );
        return [`${method} ${url}`, answer.status, answer.body?.code];
      }),
    );

  it('refuses every member route of the permission table to a session still in onboarding', async () => {
    expect(memberRoutes.length).toBeGreaterThan(40);
    const client = new ConsoleClient(server.url);
    await client.post('/api/signup', { name: 'Ada', email: uniqueEmail(), password: strongPassword });
    await client.refreshSession();
    for (const [route, status, code] of await callEach(client))
      expect([status, code], route).toEqual([403, 'verification_incomplete']);
  });

  it('refuses every member route of the permission table to a session that owes its second factor', async () => {
    const { email } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    for (const [route, status, code] of await callEach(client))
      expect([status, code], route).toEqual([403, 'second_factor_required']);
  });

  it('opens the console once email and phone are verified', async () => {
    const { client } = await onboardedUser(server);
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.account.status).toBe('active');
    expect(me.body.account.authId).toMatch(/^MA[A-Z0-9]{18}$/);
  });
});

describe('activation review', () => {
  it('holds an account whose website differs from its email domain, with the reason class and 24-hour target', async () => {
    const { client } = await onboardedUser(server, { businessProfile: false });
    const response = await client.post('/api/onboarding/business-profile', {
      companyName: 'Acme',
      website: 'https://unrelated.example',
      country: 'US',
      intendedUse: 'Alerts',
    });
    expect(response.status).toBe(200);
    expect(response.body.account.status).toBe('under_review');
    expect(response.body.account.review).toEqual({
      reasonClass: 'business_information',
      reason: 'Business information needs verification',
      targetHours: 24,
    });
  });

  it('refuses business details without a company name or country, or with a website that is not one', async () => {
    const { client } = await onboardedUser(server, { businessProfile: false });
    const response = await client.post('/api/onboarding/business-profile', {
      companyName: '',
      website: 'x',
      country: 'usa',
      intendedUse: '',
    });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { field: string }) => e.field)).toEqual([
      'companyName',
      'website',
      'country',
    ]);
    expect((await client.get('/api/me')).body.account.status).toBe('pending_verification');
  });

  it('holds an account whose website and intended use were left empty, saying the profile is incomplete', async () => {
    const { client } = await onboardedUser(server, { businessProfile: false });
    const response = await client.post('/api/onboarding/business-profile', {
      companyName: 'Acme Telecom',
      website: ' ',
      country: 'US',
      intendedUse: '',
    });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.account).toMatchObject({
      status: 'under_review',
      review: {
        reasonClass: 'incomplete_documentation',
        reason: 'Documentation is incomplete',
        targetHours: 24,
      },
      businessProfile: { companyName: 'Acme Telecom', website: '', country: 'US', intendedUse: '' },
    });
    const staff = await signInStaff(server, await setUpStaff(server));
    const queue = (await staff.get('/api/staff/reviews')).body.accounts as {
      id: string;
      reviewReason: string;
    }[];
    expect(queue.find((held) => held.id === response.body.account.id)?.reviewReason).toBe(
      'incomplete_documentation: Missing business details: website, intended use',
    );
  });

  it('holds a sign-up from an address on the risk list, with the risk reason class', async () => {
    const client = new ConsoleClient(server.url, riskListedAddress());
    const { client: owner } = await onboardedUser(server, { client });
    const me = await owner.get('/api/me');
    expect(me.body.account.status).toBe('under_review');
    expect(me.body.account.review).toEqual({
      reasonClass: 'risk_assessment',
      reason: 'Risk assessment flags require manual review',
      targetHours: 24,
    });
  });

  it('holds a sign-up whose email domain is on the risk list, and emails the owner', async () => {
    const email = uniqueEmail('ada', riskListedDomain);
    const { client } = await onboardedUser(server, { email });
    const account = (await client.get('/api/me')).body.account;
    expect(account.status).toBe('under_review');
    expect(account.review.reasonClass).toBe('risk_assessment');
    expect((await lastMessageTo(server, email)).subject).toMatch(/review/i);
  });
});
