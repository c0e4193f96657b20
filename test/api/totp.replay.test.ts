import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { totpCodeAt } from '../../src/modules/identity/totp.js';
import { addAuthenticator, advanceToMiddleOfStep, onboardedUser, passwordStep } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const secondsAgo = (seconds: number) => new Date(server.clock.now().getTime() - seconds * 1000);

describe('an authenticator code cannot be used twice', () => {
  it('refuses the code that confirmed the app when it is sent again to sign in', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    const enrolmentCode = totpCodeAt(secret, server.clock.now());
    const signIn = await passwordStep(server, email);
    const response = await signIn.post('/api/session/second-factor', { method: 'totp', code: enrolmentCode });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect(response.body.detail).toMatch(/already used/);
  });

  it('accepts a code of a later step once, and refuses the same code at a second sign-in', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    advanceToMiddleOfStep(server, 1);
    const code = totpCodeAt(secret, server.clock.now());
    const first = await passwordStep(server, email);
    expect((await first.post('/api/session/second-factor', { method: 'totp', code })).status).toBe(200);
    const second = await passwordStep(server, email);
    const replay = await second.post('/api/session/second-factor', { method: 'totp', code });
    expect(replay.status).toBe(400);
    expect(replay.body.code).toBe(IdentityErrors.codeIncorrect('').code);
    expect((await second.get('/api/me')).status).toBe(403);
  });

  it('refuses a code of an earlier step than one already used, even inside the ±1 step window', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    advanceToMiddleOfStep(server, 2);
    const current = totpCodeAt(secret, server.clock.now());
    const previous = totpCodeAt(secret, secondsAgo(30));
    const first = await passwordStep(server, email);
    expect((await first.post('/api/session/second-factor', { method: 'totp', code: current })).status).toBe(
      200,
    );
    const second = await passwordStep(server, email);
    const older = await second.post('/api/session/second-factor', { method: 'totp', code: previous });
    expect(older.status).toBe(400);
  });

  it('accepts the code of the previous step when it was not used (clock drift)', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    advanceToMiddleOfStep(server, 2);
    const previous = totpCodeAt(secret, secondsAgo(30));
    const signIn = await passwordStep(server, email);
    expect((await signIn.post('/api/session/second-factor', { method: 'totp', code: previous })).status).toBe(
      200,
    );
  });

  it('refuses a code from two steps ago (outside the ±1 step window)', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    advanceToMiddleOfStep(server, 3);
    const stale = totpCodeAt(secret, secondsAgo(60));
    const signIn = await passwordStep(server, email);
    const response = await signIn.post('/api/session/second-factor', { method: 'totp', code: stale });
    expect(response.status).toBe(400);
  });

  it('refuses a code already used at sign-in when it is offered to re-authenticate', async () => {
    const { client, email, phone } = await onboardedUser(server);
    const secret = await addAuthenticator(server, client, phone);
    advanceToMiddleOfStep(server, 1);
    const code = totpCodeAt(secret, server.clock.now());
    const signIn = await passwordStep(server, email);
    expect((await signIn.post('/api/session/second-factor', { method: 'totp', code })).status).toBe(200);
    await signIn.refreshSession();
    const reauth = await signIn.post('/api/session/reauthenticate', { method: 'totp', code });
    expect(reauth.status).toBe(400);
    expect(reauth.body.code).toBe(IdentityErrors.codeIncorrect('').code);
  });
});
