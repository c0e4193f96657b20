import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardedUser, passwordStep, signInWithPhone, uniquePhone } from '../support/journeys.js';
import { codeIn, lastMessageTo, messagesTo } from '../support/outbox.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('devices and phone codes', () => {
  it('treats the browser that signed up as a known device: signing in again there sends no new-device email', async () => {
    const person = await onboardedUser(server);
    expect(person.client.cookies.has('sb_device')).toBe(true);
    await person.client.delete('/api/session');
    await signInWithPhone(server, person.email, person.phone, person.password, person.client);
    const notices = (await messagesTo(server, person.email)).filter(
      (m) => m.subject === 'New sign-in to your account',
    );
    expect(notices).toEqual([]);
  });

  it('stops a sign-in code sent to the old number from working once the 2FA phone is changed', async () => {
    const person = await onboardedUser(server);
    const elsewhere = await passwordStep(server, person.email, person.password);
    expect((await elsewhere.post('/api/session/phone-code', { channel: 'sms' })).status).toBe(202);
    const oldCode = codeIn((await lastMessageTo(server, person.phone)).text);

    const recovery = await person.client.post('/api/security/recovery-codes');
    expect(recovery.status).toBe(201);
    const changed = await person.client.post('/api/security/phone-change', {
      method: 'recovery_code',
      code: recovery.body.codes[0],
    });
    expect(changed.status).toBe(200);
    const newPhone = uniquePhone();
    expect(
      (await person.client.post('/api/security/phone-change/number', { phone: newPhone, channel: 'sms' }))
        .status,
    ).toBe(202);
    const confirm = codeIn((await lastMessageTo(server, newPhone)).text);
    expect((await person.client.post('/api/security/phone-change/verify', { code: confirm })).status).toBe(
      200,
    );
    const stale = await elsewhere.post('/api/session/second-factor', { method: 'phone', code: oldCode });
    expect(stale.status).not.toBe(200);
  });
});
