import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { PasswordPolicyErrors } from '../../src/modules/identity/password-policy.js';
import { ConsoleClient } from '../support/browser-client.js';
import { later, onboardedUser, signInWithPhone, strongPassword, uniqueEmail } from '../support/journeys.js';
import { lastMessageTo, linkIn, messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const newPassword = 'Copper-Meadow-Signal-73';

/** Asks for a reset link and answers its token, read from the email. */
async function resetLinkFor(email: string) {
  const response = await new ConsoleClient(server.url).post('/api/password-reset', { email });
  expect(response.status).toBe(202);
  const message = await lastMessageTo(server, email);
  expect(message.subject).toBe('Reset your password');
  return linkIn(message.text);
}

const complete = (token: string, password = newPassword) =>
  new ConsoleClient(server.url).post('/api/password-reset/complete', { token, password });

const signsIn = async (email: string, password: string) =>
  (await new ConsoleClient(server.url).post('/api/session', { email, password })).status;

describe('forgot password', () => {
  it('emails a reset link that sets a new password; the old one stops working', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    expect((await new ConsoleClient(server.url).get(`/api/password-reset/${token}`)).body).toEqual({
      usable: true,
    });
    const response = await complete(token);
    expect(response.status).toBe(200);
    expect(response.body.message).toMatch(/Sign in with your new password/);
    expect(await signsIn(email, newPassword)).toBe(200);
    expect(await signsIn(email, strongPassword)).toBe(401);
  });

  it('answers an unknown email with the same 202 and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const response = await new ConsoleClient(server.url).post('/api/password-reset', { email });
    expect(response.status).toBe(202);
    expect(response.body.message).toMatch(/If an account uses this email/);
    expect(await messagesTo(server, email)).toHaveLength(0);
  });

  it('refuses a reused reset link', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    expect((await complete(token)).status).toBe(200);
    const again = await complete(token, 'Another-Quiet-River-58');
    expect(again.status).toBe(410);
    expect(again.body.code).toBe(IdentityErrors.linkUsed().code);
    expect((await new ConsoleClient(server.url).get(`/api/password-reset/${token}`)).status).toBe(410);
    expect(await signsIn(email, newPassword)).toBe(200);
  });

  it('refuses a reset link after 1 hour', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    await later(server, 61, async () => {
      const check = await new ConsoleClient(server.url).get(`/api/password-reset/${token}`);
      expect(check.status).toBe(410);
      expect(check.body.code).toBe(IdentityErrors.linkExpired().code);
      const response = await complete(token);
      expect(response.status).toBe(410);
      expect(response.body.code).toBe(IdentityErrors.linkExpired().code);
    });
    expect(await signsIn(email, strongPassword)).toBe(200);
  });

  it('accepts a reset link just under 1 hour old', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    await later(server, 59, async () => {
      expect((await complete(token)).status).toBe(200);
    });
  });

  it('says an unknown reset link is not valid', async () => {
    const response = await complete('x'.repeat(43));
    expect(response.status).toBe(404);
    expect(response.body.code).toBe(IdentityErrors.linkInvalid().code);
  });

  it('makes only the latest link work when several were asked for', async () => {
    const { email } = await onboardedUser(server);
    const first = await resetLinkFor(email);
    const second = await resetLinkFor(email);
    expect((await complete(first)).status).toBe(410);
    expect((await complete(second)).status).toBe(200);
  });

  it('refuses a new password under the policy and leaves the link usable', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    const weak = await complete(token, 'password');
    expect(weak.status).toBe(400);
    expect(weak.body.code).toBe(PasswordPolicyErrors.weakPassword);
    expect(weak.body.errors).toContainEqual(expect.objectContaining({ field: 'password' }));
    const common = await complete(token, 'Password123!');
    expect(common.status).toBe(400);
    expect(common.body.detail).toMatch(/too easy to guess/);
    expect((await complete(token)).status).toBe(200);
  });

  it('ends every session of the user', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const other = await signInWithPhone(server, email, phone);
    const token = await resetLinkFor(email);
    expect((await complete(token)).status).toBe(200);
    expect((await client.get('/api/me')).status).toBe(401);
    expect((await other.get('/api/me')).status).toBe(401);
  });

  it('does not sign the user in', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    const browser = new ConsoleClient(server.url);
    const response = await browser.post('/api/password-reset/complete', { token, password: newPassword });
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((cookie) => cookie.startsWith('sb_session='))).toBe(false);
    expect((await browser.get('/api/session')).status).toBe(401);
  });

  it('sends a notice that the password was changed', async () => {
    const { email } = await onboardedUser(server);
    const token = await resetLinkFor(email);
    await complete(token);
    const notice = await lastMessageTo(server, email);
    expect(notice.subject).toBe('Your password was changed');
    expect(notice.text).toMatch(/every session was signed out/);
  });

  it('sends at most 3 reset links an hour to an address, and throttles an unknown address the same way', async () => {
    const { email } = await onboardedUser(server);
    const unknown = uniqueEmail('nobody');
    const answers = async (address: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await new ConsoleClient(server.url).post('/api/password-reset', { email: address })).status,
        );
      return statuses;
    };
    const known = await answers(email);
    expect(known).toEqual([202, 202, 202, 429]);
    expect(await answers(unknown)).toEqual(known);
    expect((await messagesTo(server, email)).filter((m) => m.subject === 'Reset your password')).toHaveLength(
      3,
    );
    expect(await messagesTo(server, unknown)).toHaveLength(0);
  });

  it('gives the same refusal to a known and an unknown address once their resets are used up', async () => {
    const { email } = await onboardedUser(server);
    const unknown = uniqueEmail('nobody');
    const refusals = [];
    for (const address of [email, unknown]) {
      for (let i = 0; i < 3; i++)
        await new ConsoleClient(server.url).post('/api/password-reset', { email: address });
      const refused = await new ConsoleClient(server.url).post('/api/password-reset', { email: address });
      refusals.push({ status: refused.status, body: refused.body });
    }
    expect(refusals[0]).toEqual(refusals[1]);
  });
});
