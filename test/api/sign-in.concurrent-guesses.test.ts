import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  advanceToMiddleOfStep,
  onboardedUser,
  passwordStep,
  setUpStaff,
  staffPassword,
  strongPassword,
  uniqueEmail,
  uniquePhone,
} from '../support/journeys.js';
import { codeIn, lastMessageTo, linkIn } from '../support/outbox.js';
import { startTestServer, type TestServer, twoInstances } from '../support/server.js';

// Many guesses sent at once must not outrun the attempt budgets (5 per account, 20 per network):
// each guess takes its attempt before the password or code is checked, so all but the budget's
// worth are refused unchecked (429), and the right secret sent afterwards is refused too. (A code
// is checked in a few queries: on PGlite, whose one connection runs requests' queries in turn, the
// old check-then-count race rarely showed for codes; on PostgreSQL it did, every time.)

const GUESSES = 40;
const wrongPassword = 'Wrong-Harbor-Lantern-41';

type Answer = { status: number; body: { code?: string } };

/** Sends `count` requests at once and answers their answers. */
const burst = (count: number, send: (index: number) => Promise<Answer>) =>
  Promise.all(Array.from({ length: count }, (_, index) => send(index)));

/** The answers that were checked (anything but "too many attempts"). */
const checked = (answers: Answer[]) => answers.filter((answer) => answer.status !== 429);

describe('on one instance', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  it('checks at most 5 of 40 passwords sent at once for one email, from 40 networks', async () => {
    const { email } = await onboardedUser(server);
    const answers = await burst(GUESSES, (i) =>
      new ConsoleClient(server.url).post('/api/session', {
        email,
        password: i === GUESSES - 1 ? strongPassword : `${wrongPassword}-${i}`,
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    const right = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: strongPassword,
    });
    expect(right.status).toBe(429);
    expect(right.body.code).toBe('too_many_attempts');
  });

  it('checks at most 20 of 40 passwords sent at once from one network, for 40 emails', async () => {
    const { email } = await onboardedUser(server);
    const network = new ConsoleClient(server.url).ip;
    const answers = await burst(GUESSES, (i) =>
      new ConsoleClient(server.url, network).post('/api/session', {
        email: uniqueEmail('guess'),
        password: `${wrongPassword}-${i}`,
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(20);
    const right = await new ConsoleClient(server.url, network).post('/api/session', {
      email,
      password: strongPassword,
    });
    expect(right.status).toBe(429);
  });

  it('checks at most 5 of 40 second-factor codes sent at once', async () => {
    const { email, phone } = await onboardedUser(server);
    const client = await passwordStep(server, email);
    const answers = await burst(GUESSES, (i) =>
      client.post('/api/session/second-factor', { method: 'recovery_code', code: `wrong-${i}` }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    expect((await client.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
    const code = codeIn((await lastMessageTo(server, phone)).text);
    expect((await client.post('/api/session/second-factor', { method: 'phone', code })).status).toBe(429);
    expect((await client.get('/api/me')).status).toBe(403);
  });

  it('checks at most 5 of 40 passwords sent at once to re-authenticate', async () => {
    const { client } = await onboardedUser(server);
    const answers = await burst(GUESSES, (i) =>
      client.post('/api/session/reauthenticate', { password: `${wrongPassword}-${i}` }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    expect((await client.post('/api/session/reauthenticate', { password: strongPassword })).status).toBe(429);
  });

  it('checks at most 5 of 40 current passwords sent at once to change the password', async () => {
    const { client } = await onboardedUser(server);
    const newPassword = 'Copper-Meadow-Signal-73';
    const answers = await burst(GUESSES, (i) =>
      client.post('/api/profile/password', { currentPassword: `${wrongPassword}-${i}`, newPassword }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    const right = await client.post('/api/profile/password', {
      currentPassword: strongPassword,
      newPassword,
    });
    expect(right.status).toBe(429);
  });

  it('checks at most 5 of 40 staff passwords sent at once, then refuses the right one', async () => {
    const staff = await setUpStaff(server);
    const answers = await burst(GUESSES, (i) =>
      new ConsoleClient(server.url).post('/api/staff/session', {
        email: staff.email,
        password: i === GUESSES - 1 ? staffPassword : `${wrongPassword}-${i}`,
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    const right = await new ConsoleClient(server.url).post('/api/staff/session', {
      email: staff.email,
      password: staffPassword,
    });
    expect(right.status).toBe(429);
  });

  it('checks at most 5 of 40 staff authenticator codes sent at once, then refuses the right one', async () => {
    const staff = await setUpStaff(server);
    advanceToMiddleOfStep(server, 1);
    const client = new ConsoleClient(server.url);
    const first = await client.post('/api/staff/session', { email: staff.email, password: staffPassword });
    expect(first.status).toBe(200);
    client.csrfToken = first.body.csrfToken;
    const code = totpCodeAt(staff.secret, server.clock.now());
    const answers = await burst(GUESSES, (i) =>
      client.post('/api/staff/session/second-factor', {
        code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'),
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    expect((await client.post('/api/staff/session/second-factor', { code })).status).toBe(429);
  });

  it('checks at most 5 of 40 phone verification codes sent at once, then refuses the right one', async () => {
    const client = new ConsoleClient(server.url);
    const email = uniqueEmail();
    const phone = uniquePhone();
    expect(
      (await client.post('/api/signup', { name: 'Ada Lovelace', email, password: strongPassword })).status,
    ).toBe(201);
    await client.refreshSession();
    const token = linkIn((await lastMessageTo(server, email)).text);
    expect((await client.post('/api/email-verification', { token })).status).toBe(200);
    expect((await client.post('/api/onboarding/phone', { phone, channel: 'sms' })).status).toBe(202);
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const answers = await burst(GUESSES, (i) =>
      client.post('/api/onboarding/phone/verify', {
        code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0'),
      }),
    );
    const wrongCodesChecked = answers.filter(
      (answer) => answer.body.code === IdentityErrors.codeIncorrect('').code,
    );
    expect(wrongCodesChecked.length).toBeLessThanOrEqual(4);
    const right = await client.post('/api/onboarding/phone/verify', { code });
    expect(right.status).toBe(410);
    expect(right.body.code).toBe(IdentityErrors.codeAttemptsUsed().code);
  });
});

// Two Switchboard instances on one PostgreSQL database and one Redis, as behind a load balancer.
const sharedRedis = process.env.TEST_TARGET === 'postgres' && Boolean(process.env.TEST_REDIS_URL);

describe.runIf(sharedRedis)('on two instances sharing Redis', () => {
  const instances = twoInstances();

  it('checks at most 5 of 40 passwords sent at once to both instances for one email', async () => {
    const { email } = await onboardedUser(instances.first);
    const answers = await burst(GUESSES, (i) =>
      new ConsoleClient((i % 2 ? instances.first : instances.second).url).post('/api/session', {
        email,
        password: i === GUESSES - 1 ? strongPassword : `${wrongPassword}-${i}`,
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    for (const server of [instances.first, instances.second]) {
      const right = await new ConsoleClient(server.url).post('/api/session', {
        email,
        password: strongPassword,
      });
      expect(right.status).toBe(429);
    }
  });

  it('checks at most 5 of 40 staff passwords sent at once to both instances', async () => {
    const staff = await setUpStaff(instances.first);
    const answers = await burst(GUESSES, (i) =>
      new ConsoleClient((i % 2 ? instances.first : instances.second).url).post('/api/staff/session', {
        email: staff.email,
        password: `${wrongPassword}-${i}`,
      }),
    );
    expect(checked(answers).length).toBeLessThanOrEqual(5);
    const right = await new ConsoleClient(instances.second.url).post('/api/staff/session', {
      email: staff.email,
      password: staffPassword,
    });
    expect(right.status).toBe(429);
  });
});
