import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as passwords from '../../src/modules/identity/passwords.js';
import { ConsoleClient } from '../support/browser-client.js';
import { onboardedUser, strongPassword, uniqueEmail } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

// Every caller of verifyPassword in the server sees this spy, so a test can count hash verifications.
vi.mock('../../src/modules/identity/passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/modules/identity/passwords.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});
const verifyPassword = vi.mocked(passwords.verifyPassword);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());
beforeEach(() => verifyPassword.mockClear());

const wrongPassword = 'Wrong-Harbor-Lantern-41';

/** The argon2 parameters of a PHC string ("m=19456,t=2,p=1"): the work a verification costs. */
const costOf = (hash: string) => /^\$argon2id\$v=\d+\$(m=\d+,t=\d+,p=\d+)\$/.exec(hash)?.[1];

describe('an unknown email looks the same as a wrong password', () => {
  it('answers an unknown email and a wrong password with the same status and message', async () => {
    const { email } = await onboardedUser(server);
    const wrong = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: wrongPassword,
    });
    const unknown = await new ConsoleClient(server.url).post('/api/session', {
      email: uniqueEmail('nobody'),
      password: wrongPassword,
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(wrong.status);
    expect(unknown.body).toEqual(wrong.body);
    expect(unknown.body.detail).toBe('The email or password is not right.');
  });

  it('still runs one password-hash verification, at the same cost, for an unknown email', async () => {
    const { email } = await onboardedUser(server);
    const storedHash = (
      await server.system.database.db
        .selectFrom('users')
        .select('password_hash')
        .where('email', '=', email)
        .executeTakeFirstOrThrow()
    ).password_hash;

    verifyPassword.mockClear();
    await new ConsoleClient(server.url).post('/api/session', { email, password: wrongPassword });
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(verifyPassword.mock.calls[0]?.[0]).toBe(storedHash);

    verifyPassword.mockClear();
    const unknown = uniqueEmail('nobody');
    await new ConsoleClient(server.url).post('/api/session', { email: unknown, password: wrongPassword });
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    const [decoyHash, password] = verifyPassword.mock.calls[0] ?? [];
    expect(password).toBe(wrongPassword);
    expect(decoyHash).not.toBe(storedHash);
    expect(costOf(decoyHash ?? '')).toBeDefined();
    expect(costOf(decoyHash ?? '')).toBe(costOf(storedHash));
    expect(await verifyPassword.mock.results[0]?.value).toBe(false);
  });

  it('runs a verification for a staff sign-in with an unknown email too', async () => {
    await new ConsoleClient(server.url).post('/api/staff/session', {
      email: uniqueEmail('nobody'),
      password: strongPassword,
    });
    expect(verifyPassword).toHaveBeenCalledTimes(1);
    expect(costOf(verifyPassword.mock.calls[0]?.[0] ?? '')).toBe('m=19456,t=2,p=1');
  });

  it('answers a password reset for an unknown email exactly as for a known one', async () => {
    const { email } = await onboardedUser(server);
    const known = await new ConsoleClient(server.url).post('/api/password-reset', { email });
    const unknown = await new ConsoleClient(server.url).post('/api/password-reset', {
      email: uniqueEmail('nobody'),
    });
    expect(known.status).toBe(202);
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual(known.body);
  });
});
