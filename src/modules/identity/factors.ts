import { DomainError, Forbidden, ValidationFailed } from '../../lib/errors.js';
import { messages } from '../../notify/messages.js';
import type { Client, IdentityDeps } from './deps.js';
import { throttles } from './deps.js';
import type { UserRow } from './store.js';
import { acceptTotpCode } from './totp.js';

/** A phone code's own refusals that mean a wrong guess (as opposed to "no code was sent"). */
const wrongCodeErrors = new Set(['code_incorrect', 'code_attempts_used']);

export type FactorMethod = 'totp' | 'phone' | 'recovery_code';
export type PhoneChannel = 'sms' | 'voice';

export const hasSecondFactor = (user: UserRow) =>
  Boolean((user.phone_factor_enabled && user.phone_verified_at) || user.totp_enabled_at);

export function availableMethods(user: UserRow): FactorMethod[] {
  const methods: FactorMethod[] = [];
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
      throw ValidationFailed(
        'phone_factor_unavailable',
        'Phone codes are not set up for this user. Use another method.',
      );
    }
    const { code } = await this.deps.flows.startCode('sign_in_code', { userId: user.id }, { channel });
    await this.deps.outbox.enqueue({ channel, to: user.phone_e164, ...messages.phoneCode(code) });
    return { expiresInSeconds: 600 };
  }

  /**
   * Checks a second-factor code. Wrong codes count against the same per-account and per-IP budgets
   * as wrong passwords; a TOTP code, a phone code and a recovery code each work once.
   */
  async check(user: UserRow, method: FactorMethod, rawCode: string, client: Client): Promise<void> {
    const { throttle, clock, secrets, store, flows } = this.deps;
    await throttle.check(throttles.signInPerIp, client.ip);
    await throttle.check(throttles.signInPerAccount, user.email);
    const code = rawCode.trim().replace(/\s+/g, '');
    let accepted = false;
    if (method === 'totp') {
      if (!user.totp_enabled_at || !user.totp_secret_encrypted) {
        throw ValidationFailed(
          'totp_not_set_up',
          'No authenticator app is set up for this user. Use another method.',
        );
      }
      const step = acceptTotpCode(
        secrets.decrypt(user.totp_secret_encrypted),
        code,
        clock.now(),
        user.totp_last_step,
      );
      accepted = step !== null && (await store.claimTotpStep(user.id, step));
    } else if (method === 'phone') {
      const flow = await flows.verifyCode('sign_in_code', { userId: user.id }, code).catch(async (error) => {
        if (error instanceof DomainError && wrongCodeErrors.has(error.code))
          await this.countFailure(user, client);
        throw error;
      });
      await flows.markUsed(flow.id);
      accepted = true;
    } else {
      accepted = await store.consumeRecoveryCode(user.id, secrets.digest(code.toLowerCase()), clock.now());
    }
    if (!accepted) {
      await this.countFailure(user, client);
      throw ValidationFailed('code_incorrect', 'That code is not right, or it was already used.', [
        { field: 'code', message: 'The code is not right.' },
      ]);
    }
  }

  /**
   * Counts a failed password or code and audits it; the failure that starts a lockout emails the
   * user and is audited as a lockout.
   */
  async countFailure(user: UserRow | undefined, client: Client, emailKey?: string): Promise<void> {
    const { throttle, outbox, audit } = this.deps;
    await throttle.consume(throttles.signInPerIp, client.ip).catch(() => {});
    const key = user?.email ?? emailKey ?? '';
    const { remaining } = await throttle
      .consume(throttles.signInPerAccount, key)
      .catch(() => ({ remaining: -1 }));
    // A lockout pauses sign-in for 15 minutes, doubling with each further lockout that day; known
    // and unknown emails alike, so the pause says nothing about whether the account exists.
    let minutes = 0;
    if (remaining === 0) {
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
    const tenMinutesAgo = this.deps.clock.now().getTime() - 10 * 60_000;
    if (!reauthenticatedAt || reauthenticatedAt.getTime() < tenMinutesAgo) {
      throw Forbidden(
        'reauthentication_required',
        'For your security, confirm it is you: enter your password or a code again, then retry.',
      );
    }
  }
}
