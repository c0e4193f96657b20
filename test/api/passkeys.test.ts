import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IdentityErrors } from '../../src/modules/identity/errors.js';
import { ConsoleClient } from '../support/browser-client.js';
import {
  auditActionsOf,
  later,
  onboardedUser,
  passwordStep,
  setUpStaff,
  signInStaff,
  staffPassword,
} from '../support/journeys.js';
import { codeIn, lastMessageTo } from '../support/outbox.js';
import { enrolPasskey, startPasskeyServer } from '../support/passkeys.js';
import type { TestServer } from '../support/server.js';
import { SoftwareAuthenticator } from '../support/software-authenticator.js';

let server: TestServer;
beforeAll(async () => {
  server = await startPasskeyServer();
});
afterAll(() => server.stop());

const refused = IdentityErrors.passkeyRefused();

/** A member with a passkey enrolled under Security on a software authenticator. */
async function memberWithPasskey() {
  const person = await onboardedUser(server);
  const authenticator = new SoftwareAuthenticator();
  const passkey = await enrolPasskey(server, person.client, authenticator);
  const me = await person.client.get('/api/me');
  return { ...person, authenticator, passkey, userId: me.body.user.id as string };
}

/** Sign in with a passkey alone from a fresh browser: the options, then what `sign` makes of them. */
async function passkeySignIn(
  sign: (options: any) => unknown,
  client = new ConsoleClient(server.url),
): Promise<{ status: number; body: any; client: ConsoleClient }> {
  const begun = await client.post('/api/passkey-sign-in/options');
  expect(begun.status, JSON.stringify(begun.body)).toBe(200);
  const answer = await client.post('/api/passkey-sign-in', { credential: sign(begun.body.options) });
  return { ...answer, client };
}

describe('enrolling a passkey under Security', () => {
  it('adds a named passkey after re-authentication, audited, and lists it', async () => {
    const { client, authenticator, passkey, userId, email } = await memberWithPasskey();
    expect(passkey.name).toBe('Work laptop');
    const list = await client.get('/api/security/passkeys');
    expect(list.body.passkeys).toEqual([
      { id: passkey.id, name: 'Work laptop', createdAt: expect.any(String), lastUsedAt: null },
    ]);
    expect(await auditActionsOf(server, userId)).toContain('passkey.enrolled');
    expect(authenticator.credentials).toHaveLength(1);
    const sessions = await new ConsoleClient(server.url).post('/api/session', {
      email,
      password: 'Violet-Harbor-Lantern-42',
    });
    expect(sessions.body.methods).toEqual(['passkey', 'phone', 'recovery_code']);
  });

  it('asks for re-authentication when the last sign-in or check is over 10 minutes old', async () => {
    const { client, password } = await onboardedUser(server);
    await later(server, 11, async () => {
      const begun = await client.post('/api/security/passkeys/options');
      expect(begun.status).toBe(403);
      expect(begun.body.code).toBe('reauthentication_required');
      expect((await client.post('/api/session/reauthenticate', { password })).status).toBe(204);
      expect((await client.post('/api/security/passkeys/options')).status).toBe(200);
    });
  });

  it('refuses a credential made for another origin, and the challenge cannot be used again', async () => {
    const { client } = await onboardedUser(server);
    const authenticator = new SoftwareAuthenticator();
    const begun = await client.post('/api/security/passkeys/options');
    const credential = authenticator.create(begun.body.options, 'http://localhost.evil.example');
    const added = await client.post('/api/security/passkeys', { name: 'Phished', credential });
    expect(added.status).toBe(400);
    expect(added.body.code).toBe('passkey_not_created');
    const again = await client.post('/api/security/passkeys', {
      name: 'Again',
      credential: authenticator.create(begun.body.options, server.config.publicUrl),
    });
    expect(again.status).toBe(410);
    expect((await client.get('/api/security/passkeys')).body.passkeys).toEqual([]);
  });

  it('renames and removes a passkey; the removal is audited', async () => {
    const { client, passkey, userId } = await memberWithPasskey();
    expect((await client.patch(`/api/security/passkeys/${passkey.id}`, { name: 'Phone' })).status).toBe(204);
    expect((await client.get('/api/security/passkeys')).body.passkeys[0].name).toBe('Phone');
    expect((await client.delete(`/api/security/passkeys/${passkey.id}`)).status).toBe(204);
    expect((await client.get('/api/security/passkeys')).body.passkeys).toEqual([]);
    expect(await auditActionsOf(server, userId)).toContain('passkey.removed');
  });

  it("cannot rename or remove another person's passkey", async () => {
    const { passkey } = await memberWithPasskey();
    const other = await onboardedUser(server);
    expect((await other.client.patch(`/api/security/passkeys/${passkey.id}`, { name: 'Mine' })).status).toBe(
      404,
    );
    expect((await other.client.delete(`/api/security/passkeys/${passkey.id}`)).status).toBe(404);
  });
});

describe('a user keeps at least one of phone codes, an authenticator app or a passkey', () => {
  it('refuses to remove the last passkey when phone codes are off, with a clear message', async () => {
    const { client, passkey } = await memberWithPasskey();
    expect((await client.put('/api/security/phone-factor', { enabled: false })).status).toBe(204);
    const removal = await client.delete(`/api/security/passkeys/${passkey.id}`);
    expect(removal.status).toBe(409);
    expect(removal.body.code).toBe('last_factor');
    expect(removal.body.detail).toMatch(/only second factor/);
    expect((await client.get('/api/security/passkeys')).body.passkeys).toHaveLength(1);
  });

  it('lets phone codes be turned off only while a passkey (or an app) is left', async () => {
    const { client } = await onboardedUser(server);
    const off = await client.put('/api/security/phone-factor', { enabled: false });
    expect(off.status).toBe(409);
    expect(off.body.detail).toMatch(/passkey/);
  });
});

describe('a passkey as the second factor', () => {
  it('signs in after the password with the passkey, audited with method passkey', async () => {
    const { email, authenticator, userId, passkey } = await memberWithPasskey();
    const client = await passwordStep(server, email);
    const begun = await client.post('/api/session/passkey/options');
    expect(begun.status, JSON.stringify(begun.body)).toBe(200);
    expect(begun.body.options.allowCredentials).toEqual([
      expect.objectContaining({ id: authenticator.credentials[0]?.id }),
    ]);
    const answer = await client.post('/api/session/passkey', {
      credential: authenticator.get(begun.body.options, server.config.publicUrl),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.stage).toBe('full');
    expect((await client.get('/api/me')).status).toBe(200);
    const signIn = await server.system.database.db
      .selectFrom('audit_events')
      .select('details')
      .where('user_id', '=', userId)
      .where('action', '=', 'user.signed_in')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(signIn.details).toMatchObject({ method: 'passkey' });
    const listed = await client.get('/api/security/passkeys');
    expect(listed.body.passkeys).toEqual([
      expect.objectContaining({ id: passkey.id, lastUsedAt: expect.any(String) }),
    ]);
  });

  it("refuses someone else's passkey at the second step", async () => {
    const { authenticator } = await memberWithPasskey();
    const victim = await memberWithPasskey();
    const client = await passwordStep(server, victim.email);
    const begun = await client.post('/api/session/passkey/options');
    const stranger = authenticator.credentials[0]?.id as string;
    const answer = await client.post('/api/session/passkey', {
      credential: authenticator.get(begun.body.options, server.config.publicUrl, { credentialId: stranger }),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(refused.code);
    expect((await client.get('/api/me')).status).toBe(403);
  });
});

describe('signing in with a passkey alone', () => {
  it('goes straight to the account: the passkey is both factors', async () => {
    const { authenticator, userId } = await memberWithPasskey();
    const { status, body, client } = await passkeySignIn((options) => {
      expect(options.userVerification).toBe('required');
      expect(options.allowCredentials ?? []).toEqual([]);
      return authenticator.get(options, server.config.publicUrl);
    });
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.stage).toBe('full');
    await client.refreshSession();
    const me = await client.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.id).toBe(userId);
    expect(me.body.account).not.toBeNull();
  });

  it('refuses a replayed assertion (the same challenge and the same counter)', async () => {
    const { authenticator } = await memberWithPasskey();
    let captured: unknown;
    const first = await passkeySignIn((options) => {
      captured = authenticator.get(options, server.config.publicUrl);
      return captured;
    });
    expect(first.status).toBe(200);
    const replayed = await first.client.post('/api/passkey-sign-in', { credential: captured });
    expect(replayed.status).toBe(401);
    expect(replayed.body.code).toBe(refused.code);
  });

  it('refuses a fresh challenge signed with a counter that did not rise (a cloned authenticator)', async () => {
    const { authenticator } = await memberWithPasskey();
    expect((await passkeySignIn((o) => authenticator.get(o, server.config.publicUrl))).status).toBe(200);
    const counter = authenticator.credentials[0]?.counter as number;
    const clone = await passkeySignIn((o) => authenticator.get(o, server.config.publicUrl, { counter }));
    expect(clone.status).toBe(401);
    expect(clone.body.code).toBe(refused.code);
  });

  it('refuses an assertion made for another origin', async () => {
    const { authenticator } = await memberWithPasskey();
    const phished = await passkeySignIn((o) => authenticator.get(o, 'https://switchboard-login.example'));
    expect(phished.status).toBe(401);
    expect(phished.body).toMatchObject({ code: refused.code, detail: refused.message });
  });

  it('gives an unknown passkey the same refusal as a wrong one', async () => {
    await memberWithPasskey();
    const unknown = new SoftwareAuthenticator();
    unknown.create(
      {
        rp: { id: 'localhost', name: 'Switchboard' },
        user: { id: 'c29tZW9uZQ', name: 'someone@acme-telecom.com', displayName: 'Someone' },
        challenge: 'bm90LWZyb20tdGhlLXNlcnZlcg',
        pubKeyCredParams: [{ type: 'public-key', alg: -7 }],
      },
      server.config.publicUrl,
    );
    const answer = await passkeySignIn((o) => unknown.get(o, server.config.publicUrl));
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ code: refused.code, detail: refused.message });
  });

  it('refuses an assertion whose user handle is not the passkey owner’s', async () => {
    const { authenticator } = await memberWithPasskey();
    const other = await memberWithPasskey();
    const answer = await passkeySignIn((o) => {
      const credential = authenticator.get(o, server.config.publicUrl);
      credential.response.userHandle = other.authenticator.credentials[0]?.userHandle;
      return credential;
    });
    expect(answer.status).toBe(401);
  });

  it('requires user verification', async () => {
    const person = await onboardedUser(server);
    const presenceOnly = new SoftwareAuthenticator(false);
    await enrolPasskey(server, person.client, presenceOnly);
    const answer = await passkeySignIn((o) => presenceOnly.get(o, server.config.publicUrl));
    expect(answer.status).toBe(401);
  });

  it("refuses the passkey of a closed account's member, saying the account is closed", async () => {
    const { client, phone, password, authenticator } = await memberWithPasskey();
    expect((await client.post('/api/security/phone-code', { channel: 'sms' })).status).toBe(202);
    const code = codeIn((await lastMessageTo(server, phone)).text);
    const closed = await client.post('/api/account/closure', { password, method: 'phone', code });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    const answer = await passkeySignIn((o) => authenticator.get(o, server.config.publicUrl));
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('account_closed');
  });

  it('refuses an assertion without the challenge this browser asked for', async () => {
    const { authenticator } = await memberWithPasskey();
    const asker = new ConsoleClient(server.url);
    const begun = await asker.post('/api/passkey-sign-in/options');
    const elsewhere = new ConsoleClient(server.url);
    const answer = await elsewhere.post('/api/passkey-sign-in', {
      credential: authenticator.get(begun.body.options, server.config.publicUrl),
    });
    expect(answer.status).toBe(401);
  });

  it('counts attempts before checking them: after five refusals the right passkey waits too', async () => {
    const { authenticator } = await memberWithPasskey();
    const client = new ConsoleClient(server.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await passkeySignIn((o) => authenticator.get(o, 'https://evil.example'), client);
      expect(wrong.status).toBe(401);
    }
    const right = await passkeySignIn((o) => authenticator.get(o, server.config.publicUrl), client);
    expect(right.status).toBe(429);
  });
});

describe('staff passkeys', () => {
  it('a staff member enrols a passkey and signs in with it, alone or after the password', async () => {
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    const authenticator = new SoftwareAuthenticator();
    const passkey = await enrolPasskey(server, client, authenticator, {
      door: 'staff',
      name: 'Security key',
    });
    expect((await client.get('/api/staff/security/passkeys')).body.passkeys).toEqual([
      expect.objectContaining({ id: passkey.id, name: 'Security key' }),
    ]);

    const alone = new ConsoleClient(server.url);
    const begun = await alone.post('/api/staff/passkey-sign-in/options');
    const signedIn = await alone.post('/api/staff/passkey-sign-in', {
      credential: authenticator.get(begun.body.options, server.config.publicUrl),
    });
    expect(signedIn.status, JSON.stringify(signedIn.body)).toBe(200);
    expect((await alone.get('/api/staff/session')).status).toBe(200);

    const second = new ConsoleClient(server.url);
    const first = await second.post('/api/staff/session', { email: staff.email, password: staffPassword });
    second.csrfToken = first.body.csrfToken;
    const options = await second.post('/api/staff/session/passkey/options');
    expect(options.status, JSON.stringify(options.body)).toBe(200);
    const stepped = await second.post('/api/staff/session/passkey', {
      credential: authenticator.get(options.body.options, server.config.publicUrl),
    });
    expect(stepped.status, JSON.stringify(stepped.body)).toBe(200);
    expect((await second.get('/api/staff/session')).status).toBe(200);

    const actions = await server.system.database.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('staff_id', '=', staff.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toContain('passkey.enrolled');
    expect(actions.filter((a) => a.action === 'staff.signed_in').map((a) => a.details)).toEqual([
      { method: 'totp' },
      { method: 'passkey' },
      { method: 'passkey' },
    ]);
  });

  it("does not take a customer's passkey at the staff door, nor a staff passkey at the customers'", async () => {
    const { authenticator } = await memberWithPasskey();
    const client = new ConsoleClient(server.url);
    const begun = await client.post('/api/staff/passkey-sign-in/options');
    const answer = await client.post('/api/staff/passkey-sign-in', {
      credential: authenticator.get(begun.body.options, server.config.publicUrl),
    });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe(refused.code);

    const staff = await setUpStaff(server);
    const staffClient = await signInStaff(server, staff);
    const staffKey = new SoftwareAuthenticator();
    await enrolPasskey(server, staffClient, staffKey, { door: 'staff' });
    const customerDoor = await passkeySignIn((o) => staffKey.get(o, server.config.publicUrl));
    expect(customerDoor.status).toBe(401);
  });

  it('asks staff to re-authenticate with their app before enrolling, once the sign-in is old', async () => {
    const staff = await setUpStaff(server);
    const client = await signInStaff(server, staff);
    server.clock.advanceMinutes(11);
    try {
      const begun = await client.post('/api/staff/security/passkeys/options');
      expect(begun.status).toBe(403);
      expect(begun.body.code).toBe('reauthentication_required');
    } finally {
      server.clock.advanceMinutes(-11);
    }
  });
});
