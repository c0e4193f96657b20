import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleClient } from '../support/browser-client.js';
import { strongPassword } from '../support/journeys.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

const check = (client: ConsoleClient, body: { password: string; name?: string; email?: string }) =>
  client.post('/api/password-check', body);

describe('the live password check of the sign-up form', () => {
  it('accepts a password that meets the policy', async () => {
    const answer = await check(new ConsoleClient(server.url), { password: strongPassword });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ acceptable: true, problems: [] });
  });

  it('lists every rule a short password breaks', async () => {
    const answer = await check(new ConsoleClient(server.url), { password: 'abc' });
    expect(answer.body.acceptable).toBe(false);
    expect(answer.body.problems).toEqual([
      'Use at least 12 characters.',
      'Add an upper-case letter.',
      'Add a digit.',
      'Add a symbol such as ! # % or -.',
    ]);
  });

  it('says a common password is too easy to guess', async () => {
    const answer = await check(new ConsoleClient(server.url), { password: 'Password123!' });
    expect(answer.body.problems).toEqual([expect.stringMatching(/^This password is too easy to guess/)]);
  });

  it('refuses a password built from the person’s name and email, as sign-up does', async () => {
    const password = 'Acmetelecom!2024';
    const client = new ConsoleClient(server.url);
    expect((await check(client, { password })).body.acceptable).toBe(true);
    const personal = await check(client, { password, name: 'Ada Lovelace', email: 'ada@acmetelecom.com' });
    expect(personal.body.acceptable).toBe(false);
    const signUp = await client.post('/api/signup', {
      name: 'Ada Lovelace',
      email: 'ada@acmetelecom.com',
      password,
    });
    expect(signUp.status).toBe(400);
    expect(signUp.body.errors).toContainEqual({
      field: 'password',
      message: personal.body.problems.join(' '),
    });
  });

  it('answers at most 120 checks a minute from one network, then asks to wait', async () => {
    const client = new ConsoleClient(server.url);
    for (let i = 0; i < 120; i++) expect((await check(client, { password: `abc${i}` })).status).toBe(200);
    const refused = await check(client, { password: strongPassword });
    expect(refused.status).toBe(429);
    expect(refused.body.detail).toMatch(/Too many password checks from your network/);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await check(new ConsoleClient(server.url), { password: strongPassword })).status).toBe(200);
  });
});
