import type { Clock } from '../../lib/clock.js';
import { DomainError } from '../../lib/errors.js';
import type { Attempt } from '../../lib/throttle.js';
import { messages } from '../../notify/messages.js';
import type { Client, IdentityDeps } from './deps.js';
import { takeSignInAttempt, throttles } from './deps.js';
import { IdentityErrors } from './errors.js';
import { decoyPasswordHash, verifyPassword } from './passwords.js';
import type { UserRow } from './store.js';
import { acceptTotpCode } from './totp.js';

/** A phone code's own refusals that mean a wrong guess (as opposed to "no code was sent"). */
const wrongCodeErrors = new Set([
  IdentityErrors.codeIncorrect('').code,
  IdentityErrors.codeAttemptsUsed().code,
]);

/** A second factor proven by a code. */
export type FactorMethod = 'totp' | 'phone' | 'recovery_code';
/** A second factor a sign-in may offer: a code's method, or a passkey. */
export type SignInMethod = FactorMethod | 'passkey';
export type PhoneChannel = 'sms' | 'voice';

/** Whether the user has a factor other than passkeys (phone codes or an authenticator app). */
export const hasCodeFactor = (user: UserRow) =>
  Boolean((user.phone_factor_enabled && user.phone_verified_at) || user.totp_enabled_at);

/** A user always keeps one of phone codes, an authenticator app or a passkey. */
export const hasSecondFactor = (user: UserRow) => hasCodeFactor(user) || Boolean(user.has_passkey);

export function availableMethods(user: UserRow): SignInMethod[] {
  const methods: SignInMethod[] = [];
  if (user.has_passkey) methods.push('passkey');
  if (user.totp_enabled_at) methods.push('totp');
  if (user.phone_factor_enabled && user.phone_verified_at) methods.push('phone');
  methods.push('recovery_code');
  return methods;
}

/** Second factors: checking a code of any method, and sending phone codes. */
export class Factors {
  constructor(private readonly deps: IdentityDeps) {}

  /** Sends a one-time code to the user's verified phone by SMS or voice call. */
  async sendPhoneCode(user: UserRow, channel: PhoneChannel): Promise<{ expiresInSeconds: number }> {
    if (!user.phone_e164 || !user.phone_verified_at || !user.phone_factor_enabled) {
      throw IdentityErrors.phoneFactorUnavailable();
    }
    const { code } = await this.deps.flows.startCode('sign_in_code', { userId: user.id }, { channel });
    await this.deps.outbox.enqueue({ channel, to: user.phone_e164, ...messages.phoneCode(code) });
    return { expiresInSeconds: 600 };
  }

  /**
   * Checks a password (of a user, or of nobody: an unknown email costs the same work) under the
   * sign-in budgets of `key`: the attempt is taken before the hash is verified; a wrong password
   * stays counted, a right one is given back.
   */
  async checkPassword(key: string, user: UserRow | undefined, password: string, client: Client) {
    const attempt = await takeSignInAttempt(this.deps.throttle, client, key);
    const matches = await verifyPassword(user?.password_hash ?? (await decoyPasswordHash()), password);
    if (user && matches) {
      await attempt.refund();
      return true;
    }
    await this.countFailure(attempt, key, user, client);
    return false;
  }

  /**
   * Checks a second-factor code. Wrong codes count against the same per-account and per-IP budgets
   * as wrong passwords, and the attempt is taken before the code is checked; a TOTP code, a phone
   * code and a recovery code each work once.
   */
  async check(user: UserRow, method: FactorMethod, rawCode: string, client: Client): Promise<void> {
    const attempt = await takeSignInAttempt(this.deps.throttle, client, user.email);
    let accepted: boolean;
    try {
      accepted = await this.accepts(user, method, rawCode.trim().replace(/\s+/g, ''));
    } catch (error) {
      if (error instanceof DomainError && wrongCodeErrors.has(error.code))
        await this.countFailure(attempt, user.email, user, client);
      else if (error instanceof DomainError) await attempt.refund();
      throw error;
    }
    if (!accepted) {
      await this.countFailure(attempt, user.email, user, client);
      throw IdentityErrors.codeIncorrect('That code is not right, or it was already used.');
    }
    await attempt.refund();
  }

  /** Whether the code is right (and now used up); throws when the method cannot be used. */
  private async accepts(user: UserRow, method: FactorMethod, code: string): Promise<boolean> {
    const { clock, secrets, store, flows } = this.deps;
    if (method === 'totp') {
      if (!user.totp_enabled_at || !user.totp_secret_encrypted) {
        throw IdentityErrors.totpNotSetUp();
      }
      const step = acceptTotpCode(
        secrets.decrypt(user.totp_secret_encrypted),
        code,
        clock.now(),
        user.totp_last_step,
      );
      return step !== null && (await store.claimTotpStep(user.id, step));
    }
    if (method === 'phone') {
      const flow = await flows.verifyCode('sign_in_code', { userId: user.id }, code);
      await flows.markUsed(flow.id);
      return true;
    }
    return store.consumeRecoveryCode(user.id, secrets.digest(code.toLowerCase()), clock.now());
  }

  /**
   * A failed password or code (its attempt stays taken), audited; the failure that used up the
   * account's budget starts a lockout, emailed to the user and audited as one.
   */
  private async countFailure(
    attempt: Attempt,
    key: string,
    user: UserRow | undefined,
    client: Client,
  ): Promise<void> {
    const { throttle, outbox, audit } = this.deps;
    // A lockout pauses sign-in for 15 minutes, doubling with each further lockout that day; known
    // and unknown emails alike, so the pause says nothing about whether the account exists.
    let minutes = 0;
    if (attempt.left(throttles.signInPerAccount) === 0) {
      const { remaining: left } = await throttle.consume(throttles.lockoutsPerAccount, key);
      const lockouts = throttles.lockoutsPerAccount.points - left;
      minutes = Math.min(15 * 2 ** (lockouts - 1), 24 * 60);
      await throttle.block(throttles.signInPerAccount, key, minutes * 60);
    }
    if (!user) return;
    await audit.record({ ...client, userId: user.id }, { action: 'user.authentication_failed' });
    if (minutes > 0) {
      await outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.signInLocked(user.name, minutes),
      });
      await audit.record({ ...client, userId: user.id }, { action: 'user.locked_out', details: { minutes } });
    }
  }

  assertRecentAuthentication(reauthenticatedAt: Date | null): void {
    assertRecentAuthentication(this.deps.clock, reauthenticatedAt);
  }
}

/** Sensitive changes need a sign-in or a re-authentication in the last 10 minutes (users and staff alike). */
export function assertRecentAuthentication(clock: Clock, reauthenticatedAt: Date | null): void {
  const tenMinutesAgo = clock.now().getTime() - 10 * 60_000;
  if (!reauthenticatedAt || reauthenticatedAt.getTime() < tenMinutesAgo) {
    throw IdentityErrors.reauthenticationRequired();
  }
}
