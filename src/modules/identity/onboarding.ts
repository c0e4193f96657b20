import { inTransaction } from '../../db/database.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomToken } from '../../lib/secrets.js';
import { messages } from '../../notify/messages.js';
import { type Client, type IdentityDeps, throttles } from './deps.js';
import { IdentityErrors } from './errors.js';
import type { PhoneChannel } from './factors.js';
import { passwordProblems } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { maskPhone, toE164 } from './phone.js';
import type { Session } from './sessions.js';
import { normaliseEmail, workEmailProblem } from './work-email.js';

const EMAIL_LINK_MINUTES = 24 * 60;

/** Words a password must not be built from: the person's name and email. */
export function personalWords(name: string, email: string): string[] {
  const [local = '', domain = ''] = email.split('@');
  return [...name.toLowerCase().split(/\s+/), local, domain.split('.')[0] ?? '', 'switchboard'];
}

/** Sign-up and verification: work email, password policy, email link, phone OTP, no VPN. */
export class Onboarding {
  constructor(private readonly deps: IdentityDeps) {}

  /** Onboarding from an address on the operator's VPN/proxy deny list is refused. */
  assertNotVpn(client: Client): void {
    if (this.deps.vpnDenylist().contains(client.ip)) throw IdentityErrors.vpnNotAllowed();
  }

  /** Step 1: name, work email and password; creates the account, its owner and an email link. */
  async signUp(input: { name: string; email: string; password: string }, client: Client) {
    const { throttle, store, accounts, flows, outbox, audit, sessions, config } = this.deps;
    this.assertNotVpn(client);
    const email = normaliseEmail(input.email);
    const name = input.name.trim();
    const fields = [];
    if (name.length < 1 || name.length > 100)
      fields.push({ field: 'name', message: 'Enter your name (up to 100 characters).' });
    const emailProblem = workEmailProblem(email);
    if (emailProblem) fields.push({ field: 'email', message: emailProblem.message });
    const problems = await passwordProblems(input.password, personalWords(name, email));
    if (problems.length > 0) fields.push({ field: 'password', message: problems.join(' ') });
    if (fields.length > 0) {
      throw IdentityErrors.signUpRefused(
        emailProblem?.problem === 'personal' || emailProblem?.problem === 'disposable',
        fields,
      );
    }
    await throttle.consume(throttles.mailPerIp, client.ip);
    await throttle.consume(throttles.mailPerAddress, email);
    const passwordHash = await hashPassword(input.password);
    return inTransaction(this.deps.db, async () => {
      const existing = await store.userByEmail(email);
      assertThat(!existing, IdentityErrors.emailTaken('account'));
      const userId = newId();
      await store.insertUser({ id: userId, email, name, password_hash: passwordHash });
      const accountId = await accounts.createPendingAccount(name, client.ip);
      await store.insertMembership(accountId, userId, 'owner');
      await this.deps.credentials.issue(accountId, userId);
      const { token } = await flows.startLink('email_verification', { userId }, EMAIL_LINK_MINUTES, {
        email,
      });
      await outbox.enqueue({
        channel: 'email',
        to: email,
        ...messages.verifyEmail(name, `${config.publicUrl}/verify-email?token=${token}`),
      });
      await audit.record({ ...client, userId }, { action: 'user.signed_up', accountId, details: { email } });
      const session = await sessions.create({ principal: 'user', userId, accountId }, 'onboarding', client);
      return { userId, accountId, sessionToken: session.token };
    });
  }

  /**
   * Says why a password would be refused, as the form shows while the person types; the same
   * policy and personal words as sign-up. Throttled per IP, since each check runs zxcvbn.
   */
  async checkPassword(input: { password: string; name?: string; email?: string }, client: Client) {
    await this.deps.throttle.consume(throttles.passwordCheckPerIp, client.ip);
    const problems = await passwordProblems(
      input.password,
      personalWords(input.name?.trim() ?? '', normaliseEmail(input.email ?? '')),
    );
    return { acceptable: problems.length === 0, problems };
  }

  /** Step 2: the activation link; works once, for 24 hours. */
  async verifyEmail(token: string, client: Client) {
    this.assertNotVpn(client);
    return inTransaction(this.deps.db, async () => {
      const flow = await this.deps.flows.consumeLink('email_verification', token);
      const userId = flow.userId as string;
      const user = await this.deps.store.userById(userId);
      assertThat(user.email === flow.data.email, IdentityErrors.linkOutdated);
      await this.deps.store.updateUser(userId, { email_verified_at: this.deps.clock.now() });
      await this.deps.audit.record(
        { ...client, userId },
        { action: 'user.email_verified', details: { email: user.email } },
      );
      return { email: user.email };
    });
  }

  /** Sends a fresh activation link (the old one stops working); throttled per IP and per address. */
  async resendVerification(userId: string, client: Client) {
    const { store, throttle, flows, outbox, config, audit } = this.deps;
    const user = await store.userById(userId);
    assertThat(!user.email_verified_at, IdentityErrors.emailAlreadyVerified);
    await throttle.consume(throttles.mailPerIp, client.ip);
    await throttle.consume(throttles.mailPerAddress, user.email);
    await inTransaction(this.deps.db, async () => {
      const { token } = await flows.startLink('email_verification', { userId }, EMAIL_LINK_MINUTES, {
        email: user.email,
      });
      await outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.verifyEmail(user.name, `${config.publicUrl}/verify-email?token=${token}`),
      });
      await audit.record(
        { ...client, userId },
        { action: 'user.email_verification_resent', details: { email: user.email } },
      );
    });
    return { email: user.email };
  }

  /** Step 3a: sends a 6-digit code to the number by SMS or voice call; the email must be verified first. */
  async startPhoneVerification(
    session: Session,
    input: { phone: string; channel: PhoneChannel },
    client: Client,
  ) {
    this.assertNotVpn(client);
    const userId = session.userId as string;
    const user = await this.deps.store.userById(userId);
    assertThat(user.email_verified_at, () => IdentityErrors.emailNotVerified(user.email));
    const phone = toE164(input.phone);
    assertThat(phone, IdentityErrors.invalidPhone);
    await inTransaction(this.deps.db, async () => {
      const { code } = await this.deps.flows.startCode(
        'phone_verification',
        { userId },
        { phone, channel: input.channel },
      );
      await this.deps.outbox.enqueue({ channel: input.channel, to: phone, ...messages.phoneCode(code) });
      await this.deps.audit.record(
        { ...client, userId },
        { action: 'user.phone_code_sent', details: { channel: input.channel, phone: maskPhone(phone) } },
      );
    });
    return { phone, channel: input.channel, expiresInSeconds: 600 };
  }

  /**
   * Step 3b: the code proves the phone. The verified phone becomes the user's phone-OTP second
   * factor, so the session steps up to a full one under a new token.
   */
  async confirmPhone(session: Session, code: string, client: Client) {
    this.assertNotVpn(client);
    const userId = session.userId as string;
    const flow = await this.deps.flows.verifyCode('phone_verification', { userId }, code);
    return inTransaction(this.deps.db, async () => {
      await this.deps.flows.markUsed(flow.id);
      const phone = flow.data.phone as string;
      await this.deps.store.updateUser(userId, {
        phone_e164: phone,
        phone_verified_at: this.deps.clock.now(),
        phone_factor_enabled: true,
      });
      await this.deps.audit.record(
        { ...client, userId },
        { action: 'user.phone_verified', details: { channel: flow.data.channel } },
      );
      const next = await this.deps.sessions.rotate(session, 'full', client);
      if (session.accountId) await this.deps.recordSignIn?.(session.accountId, this.deps.clock.now());
      // The browser that enrolled the first factor is a known device from now on.
      const deviceId = client.deviceId ?? randomToken(24);
      await this.deps.store.rememberDevice(userId, this.deps.secrets.digest(deviceId), this.deps.clock.now());
      return { sessionToken: next.token, phone, deviceId };
    });
  }
}
