import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { UAParser } from 'ua-parser-js';
import { inTransaction } from '../../db/database.js';
import { randomToken } from '../../lib/secrets.js';
import { messages } from '../../notify/messages.js';
import { type Client, type IdentityDeps, throttles } from './deps.js';
import { IdentityErrors } from './errors.js';
import {
  availableMethods,
  type FactorMethod,
  Factors,
  hasSecondFactor,
  type PhoneChannel,
  type SignInMethod,
} from './factors.js';
import { personalWords } from './onboarding.js';
import { assertAcceptablePassword } from './password-policy.js';
import { hashPassword, needsRehash, verifyPassword } from './passwords.js';
import type { Session } from './sessions.js';
import type { UserRow } from './store.js';
import { normaliseEmail } from './work-email.js';

const RESET_LINK_MINUTES = 60;

export function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return 'unknown browser';
  const { browser, os } = UAParser(userAgent);
  const name = [browser.name, browser.major].filter(Boolean).join(' ');
  return [name || 'unknown browser', os.name ? `on ${os.name}` : ''].join(' ').trim();
}

/** Decides the account a password sign-in starts in; refuses when every account of the person requires SSO. */
export interface PasswordSignInPolicy {
  accountForPasswordSignIn(userId: string, client: Client): Promise<string | undefined>;
}

/** Sign-in (password, then a second factor), sign-out and password reset. */
export class SignIn {
  readonly factors: Factors;

  constructor(
    private readonly deps: IdentityDeps,
    private readonly passwordPolicy?: PasswordSignInPolicy,
  ) {
    this.factors = new Factors(deps);
  }

  /**
   * The password step. Wrong and unknown emails get the same answer after the same work (an unknown
   * email still runs a password verification); attempts are taken per account and per IP before
   * the password is checked, and failures stay counted. The
   * session the browser held before, if any, ends: a sign-in always starts under a new session.
   */
  async withPassword(
    input: { email: string; password: string },
    client: Client,
    previous: Session | null = null,
  ) {
    const { throttle, store, sessions } = this.deps;
    const email = normaliseEmail(input.email);
    const user = await store.userByEmail(email);
    const matches = await this.factors.checkPassword(email, user, input.password, client);
    if (!user || !matches) throw IdentityErrors.signInFailed();
    if (needsRehash(user.password_hash)) {
      await store.updateUser(user.id, { password_hash: await hashPassword(input.password) });
    }
    const memberships = await store.membershipsOf(user.id);
    if (memberships.length === 0 && (await store.wasMemberOfClosedAccount(user.id)))
      throw IdentityErrors.accountClosed();
    const accountId =
      (await this.passwordPolicy?.accountForPasswordSignIn(user.id, client)) ??
      memberships[0]?.accountId ??
      null;
    const stage = hasSecondFactor(user) ? ('second_factor' as const) : ('onboarding' as const);
    // The failure count is cleared by a completed sign-in only: a right password alone must not
    // reset the budget of second-factor guesses.
    if (stage === 'onboarding') await throttle.reset(throttles.signInPerAccount, email);
    return inTransaction(this.deps.db, async () => {
      if (previous) await sessions.revoke(previous.id);
      const session = await sessions.create({ principal: 'user', userId: user.id, accountId }, stage, client);
      if (stage === 'onboarding') {
        await this.deps.audit.record(
          { ...client, userId: user.id },
          { action: 'user.signed_in', accountId, details: { stage } },
        );
      }
      return {
        sessionToken: session.token,
        stage,
        methods: stage === 'second_factor' ? availableMethods(user) : [],
      };
    });
  }

  /** Sends a sign-in code to the phone (SMS or voice) during the second-factor step. */
  async sendPhoneCode(session: Session, channel: PhoneChannel) {
    const user = await this.deps.store.userById(session.userId as string);
    return inTransaction(this.deps.db, () => this.factors.sendPhoneCode(user, channel));
  }

  /**
   * The second-factor step: a code from the authenticator app, the phone or a recovery code. The
   * session steps up under a new token; a browser not seen before triggers a login notification.
   * A person asked to set a new password ("Secure my account") steps up to that stage instead.
   */
  async withSecondFactor(session: Session, input: { method: FactorMethod; code: string }, client: Client) {
    const user = await this.deps.store.userById(session.userId as string);
    await this.factors.check(user, input.method, input.code, client);
    await this.deps.throttle.reset(throttles.signInPerAccount, user.email);
    return this.completeSignIn(user, session, input.method, client);
  }

  /** The second-factor step with a passkey, step 1: a challenge for the person's passkeys, bound to this session. */
  passkeyOptions(session: Session) {
    return this.deps.passkeys.secondFactorOptions({ kind: 'user', id: session.userId as string }, session.id);
  }

  /** The second-factor step with a passkey, step 2: its assertion; then as with a code. */
  async withPasskey(session: Session, credential: AuthenticationResponseJSON, client: Client) {
    const user = await this.deps.store.userById(session.userId as string);
    await this.deps.passkeys.verifySecondFactor(
      { kind: 'user', id: user.id, email: user.email, name: user.name },
      session.id,
      credential,
      client,
    );
    await this.deps.throttle.reset(throttles.signInPerAccount, user.email);
    return this.completeSignIn(user, session, 'passkey', client);
  }

  /** Sign in with a passkey (no password), step 1: a challenge for any passkey, bound to this browser. */
  passkeySignInOptions() {
    return this.deps.passkeys.signInOptions('user');
  }

  /**
   * Sign in with a passkey, step 2. A passkey verified by its authenticator (user verification) is
   * both factors, possession and the person, so the sign-in is complete; the account is chosen as
   * for a password (single sign-on, where an account requires it, still applies).
   */
  async withPasskeySignIn(
    browserToken: string | undefined,
    credential: AuthenticationResponseJSON,
    client: Client,
    previous: Session | null,
  ) {
    const { store, passkeys } = this.deps;
    const userId = await passkeys.verifySignIn('user', browserToken, credential, client);
    const user = await store.userById(userId);
    const memberships = await store.membershipsOf(user.id);
    if (memberships.length === 0 && (await store.wasMemberOfClosedAccount(user.id)))
      throw IdentityErrors.accountClosed();
    const accountId =
      (await this.passwordPolicy?.accountForPasswordSignIn(user.id, client)) ??
      memberships[0]?.accountId ??
      null;
    await this.deps.throttle.reset(throttles.signInPerAccount, user.email);
    return this.completeSignIn(user, { id: previous?.id ?? null, accountId }, 'passkey', client);
  }

  /**
   * A sign-in proven by both factors: a new session (the previous one ends), a login notification
   * for a browser not seen before, and the sign-in audited with its method.
   */
  private completeSignIn(
    user: UserRow,
    previous: { id: string | null; accountId: string | null },
    method: SignInMethod,
    client: Client,
  ) {
    const { store, sessions, secrets, clock, audit, outbox } = this.deps;
    const { accountId } = previous;
    return inTransaction(this.deps.db, async () => {
      const stage = user.must_change_password ? ('password_change' as const) : ('full' as const);
      if (accountId) await this.deps.recordSignIn?.(accountId, clock.now());
      if (previous.id) await sessions.revoke(previous.id);
      const next = await sessions.create({ principal: 'user', userId: user.id, accountId }, stage, client);
      const deviceId = client.deviceId ?? randomToken(24);
      const isNewDevice = await store.rememberDevice(user.id, secrets.digest(deviceId), clock.now());
      const browser = describeBrowser(client.userAgent);
      if (isNewDevice) {
        await outbox.enqueue({
          channel: 'email',
          to: user.email,
          ...messages.newDeviceSignIn(
            user.name,
            clock.now(),
            await store.timeZoneFor(user.id, accountId),
            client.ip,
            browser,
          ),
        });
      }
      await audit.record(
        { ...client, userId: user.id },
        { action: 'user.signed_in', accountId, details: { method, browser, newDevice: isNewDevice } },
      );
      return { sessionToken: next.token, deviceId, stage };
    });
  }

  /**
   * "Secure my account": every session of these people ends (all but the one given, the person
   * securing the account) and each must set a new password at the next sign-in.
   */
  async requireNewPassword(userIds: readonly string[], keepSessionId: string) {
    await inTransaction(this.deps.db, async () => {
      for (const userId of userIds) {
        await this.deps.store.updateUser(userId, { must_change_password: true });
        await this.deps.sessions.revokeAllOfUser(userId, keepSessionId);
      }
    });
  }

  /**
   * After "Secure my account": the person sets a new password (not the old one) before anything
   * else; their other sessions end and the session steps up to a full one under a new token.
   */
  async setNewPassword(session: Session, password: string, client: Client) {
    const { store, sessions, outbox, audit, clock } = this.deps;
    const user = await store.userById(session.userId as string);
    await assertAcceptablePassword(password, personalWords(user.name, user.email), { field: 'password' });
    if (await verifyPassword(user.password_hash, password)) throw IdentityErrors.samePassword();
    const passwordHash = await hashPassword(password);
    return inTransaction(this.deps.db, async () => {
      await store.updateUser(user.id, {
        password_hash: passwordHash,
        password_changed_at: clock.now(),
        must_change_password: false,
      });
      await sessions.revokeAllOfUser(user.id, session.id);
      const next = await sessions.rotate(session, 'full', client);
      await outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.passwordChanged(
          user.name,
          clock.now(),
          await store.timeZoneFor(user.id, session.accountId),
        ),
      });
      await audit.record(
        { ...client, userId: user.id },
        { action: 'user.password_changed', accountId: session.accountId, details: { required: true } },
      );
      return { sessionToken: next.token };
    });
  }

  async signOut(session: Session, client: Client) {
    await inTransaction(this.deps.db, async () => {
      await this.deps.sessions.revoke(session.id);
      await this.deps.audit.record({ ...client, userId: session.userId }, { action: 'user.signed_out' });
    });
  }

  /**
   * Forgot Password: a reset link by email (single use, 1 hour). Neither the answer nor the
   * throttle says whether the email is known: a known and an unknown address both get 3 a hour.
   */
  async requestPasswordReset(rawEmail: string, client: Client) {
    const { throttle, store, flows, outbox, config, audit } = this.deps;
    const email = normaliseEmail(rawEmail);
    await throttle.consume(throttles.mailPerIp, client.ip);
    await throttle.consume(throttles.resetPerAddress, email);
    const user = await store.userByEmail(email);
    if (!user) return;
    await inTransaction(this.deps.db, async () => {
      const { token } = await flows.startLink('password_reset', { userId: user.id }, RESET_LINK_MINUTES);
      await outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.passwordReset(user.name, `${config.publicUrl}/reset-password?token=${token}`),
      });
      await audit.record({ ...client, userId: user.id }, { action: 'user.password_reset_requested' });
    });
  }

  /** Says whether a reset link can still be used, before the person types a new password. */
  async checkResetLink(token: string) {
    await this.deps.flows.peekLink('password_reset', token);
  }

  /**
   * Sets a new password from a reset link. It does not sign the person in; it ends every session
   * and sends a notice. A password refused by the policy leaves the link usable.
   */
  async resetPassword(input: { token: string; password: string }, client: Client) {
    const { flows, store, sessions, outbox, audit, clock } = this.deps;
    const flow = await flows.peekLink('password_reset', input.token);
    const user = await store.userById(flow.userId as string);
    await assertAcceptablePassword(input.password, personalWords(user.name, user.email));
    const passwordHash = await hashPassword(input.password);
    await inTransaction(this.deps.db, async () => {
      await flows.markUsed(flow.id);
      await store.updateUser(user.id, { password_hash: passwordHash, password_changed_at: clock.now() });
      await sessions.revokeAllOfUser(user.id);
      await outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.passwordChanged(user.name, clock.now(), await store.timeZoneFor(user.id, null)),
      });
      await audit.record({ ...client, userId: user.id }, { action: 'user.password_reset' });
    });
    await this.deps.throttle.reset(throttles.signInPerAccount, user.email);
  }

  /** Confirms it is still the same person (password or a code), opening a 10-minute window for sensitive changes. */
  /**
   * Re-authentication with both the password and a second factor, for what cannot be undone
   * (closing the account): each is checked and throttled as at sign-in.
   */
  async reauthenticateFully(
    session: Session,
    input: { password: string; method: FactorMethod; code: string },
    client: Client,
  ) {
    const user = await this.deps.store.userById(session.userId as string);
    if (!(await this.factors.checkPassword(user.email, user, input.password, client)))
      throw IdentityErrors.passwordIncorrect('password');
    await this.factors.check(user, input.method, input.code, client);
    await inTransaction(this.deps.db, async () => {
      await this.deps.sessions.markReauthenticated(session.id);
      await this.deps.audit.record(
        { ...client, userId: user.id },
        { action: 'user.reauthenticated', details: { method: `password+${input.method}` } },
      );
    });
  }

  async reauthenticate(
    session: Session,
    input: { password?: string; method?: FactorMethod; code?: string },
    client: Client,
  ) {
    const user = await this.deps.store.userById(session.userId as string);
    if (input.password !== undefined) {
      if (!(await this.factors.checkPassword(user.email, user, input.password, client))) {
        throw IdentityErrors.passwordIncorrect('password');
      }
    } else if (input.method && input.code) {
      await this.factors.check(user, input.method, input.code, client);
    } else {
      throw IdentityErrors.credentialRequired();
    }
    await inTransaction(this.deps.db, async () => {
      await this.deps.sessions.markReauthenticated(session.id);
      await this.deps.audit.record(
        { ...client, userId: user.id },
        {
          action: 'user.reauthenticated',
          details: { method: input.password !== undefined ? 'password' : input.method },
        },
      );
    });
  }
}
