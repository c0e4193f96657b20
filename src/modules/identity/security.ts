import { randomBytes } from 'node:crypto';
import { inTransaction } from '../../db/database.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { messages } from '../../notify/messages.js';
import { type Client, type IdentityDeps, throttles } from './deps.js';
import { IdentityErrors } from './errors.js';
import { availableMethods, type FactorMethod, Factors, hasCodeFactor, type PhoneChannel } from './factors.js';
import { personalWords } from './onboarding.js';
import type { NewPasskey } from './passkey-schemas.js';
import type { PasskeyOwner } from './passkeys.js';
import { assertAcceptablePassword } from './password-policy.js';
import { hashPassword } from './passwords.js';
import { maskPhone, toE164 } from './phone.js';
import type { Session } from './sessions.js';
import type { UserRow } from './store.js';
import { acceptTotpCode, newTotpSecret, totpProvisioning } from './totp.js';
import { normaliseEmail, workEmailProblem } from './work-email.js';

const RECOVERY_CODE_COUNT = 10;

function newRecoveryCode(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}

/** Account > Settings > Profile and Security: the signed-in person's own credentials. */
export class SecuritySettings {
  readonly factors: Factors;

  constructor(private readonly deps: IdentityDeps) {
    this.factors = new Factors(deps);
  }

  private user(session: Session) {
    return this.deps.store.userById(session.userId as string);
  }

  private actor(session: Session, client: Client) {
    return { ...client, userId: session.userId };
  }

  private async notify(user: UserRow, change: string) {
    await this.deps.outbox.enqueue({
      channel: 'email',
      to: user.email,
      ...messages.twoFactorChanged(user.name, change),
    });
  }

  /** The signed-in person's own record. */
  me(session: Session) {
    return this.user(session);
  }

  methods(user: UserRow) {
    return availableMethods(user);
  }

  /** The person's role in the account the session works in, if they are still a member. */
  async roleIn(session: Session) {
    const membership = (await this.memberships(session)).find((m) => m.accountId === session.accountId);
    return membership?.role;
  }

  memberships(session: Session) {
    return this.deps.store.membershipsOf(session.userId as string);
  }

  async overview(session: Session) {
    const user = await this.user(session);
    return {
      phone: {
        number: user.phone_e164 ? maskPhone(user.phone_e164) : null,
        verified: Boolean(user.phone_verified_at),
        enabled: user.phone_factor_enabled && Boolean(user.phone_verified_at),
      },
      authenticatorApp: { enabled: Boolean(user.totp_enabled_at), enabledAt: user.totp_enabled_at },
      recoveryCodes: { remaining: await this.deps.store.recoveryCodesLeft(user.id) },
    };
  }

  /** Add authenticator app, step 1 of 3: a code is sent to the verified phone. */
  async startAuthenticatorSetup(session: Session, channel: PhoneChannel) {
    const user = await this.user(session);
    assertThat(!user.totp_enabled_at, IdentityErrors.totpAlreadyEnabled);
    assertThat(user.phone_e164 && user.phone_verified_at, () =>
      IdentityErrors.phoneNotVerified('Verify your phone number first.'),
    );
    await inTransaction(this.deps.db, async () => {
      const { code } = await this.deps.flows.startCode(
        'totp_enrolment',
        { userId: user.id },
        { channel },
        'phone_code_sent',
      );
      await this.deps.outbox.enqueue({ channel, to: user.phone_e164 as string, ...messages.phoneCode(code) });
    });
    return { expiresInSeconds: 600 };
  }

  /** Step 2 of 3: the phone code is right, so the QR code to scan is shown. */
  async verifyAuthenticatorPhoneCode(session: Session, code: string) {
    const user = await this.user(session);
    const flow = await this.deps.flows.verifyCode('totp_enrolment', { userId: user.id }, code);
    const secret = newTotpSecret();
    await this.deps.flows.advance(flow.id, 'scan', { secret: this.deps.secrets.encrypt(secret) });
    const { uri, qrCode } = await totpProvisioning(secret, user.email, 'Switchboard');
    return { secret, otpauthUri: uri, qrCode };
  }

  /** Step 3 of 3: a code from the app confirms it; the step used cannot be used again. */
  async confirmAuthenticator(session: Session, code: string, client: Client) {
    const { flows, secrets, clock, store, audit } = this.deps;
    const user = await this.user(session);
    const flow = await flows.open('totp_enrolment', { userId: user.id });
    assertThat(flow.state === 'scan', IdentityErrors.phoneCodeNeeded);
    const secret = secrets.decrypt(flow.data.secret as string);
    const step = acceptTotpCode(secret, code.trim(), clock.now(), null);
    assertThat(step !== null, () =>
      IdentityErrors.codeIncorrect('That code is not right. Enter the 6-digit code your app shows now.'),
    );
    await inTransaction(this.deps.db, async () => {
      await flows.markUsed(flow.id);
      await store.updateUser(user.id, {
        totp_secret_encrypted: secrets.encrypt(secret),
        totp_enabled_at: clock.now(),
        totp_last_step: step,
      });
      await audit.record(this.actor(session, client), { action: 'user.totp_enabled' });
      await this.notify(user, 'An authenticator app was added to your account.');
    });
  }

  /** Removing the authenticator app is refused when it is the user's only factor besides recovery codes. */
  async removeAuthenticator(session: Session, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    assertThat(user.totp_enabled_at, IdentityErrors.totpNotEnabled);
    assertThat((user.phone_factor_enabled && user.phone_verified_at) || user.has_passkey, () =>
      IdentityErrors.lastFactor(
        'This is your only second factor. Turn on phone codes or add a passkey before you remove the authenticator app.',
      ),
    );
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.updateUser(user.id, {
        totp_secret_encrypted: null,
        totp_enabled_at: null,
        totp_last_step: null,
      });
      await this.deps.audit.record(this.actor(session, client), { action: 'user.totp_removed' });
      await this.notify(user, 'The authenticator app was removed from your account.');
    });
  }

  /** Turns phone codes on or off as a sign-in method; off is refused unless an authenticator app or a passkey is set up. */
  async setPhoneFactor(session: Session, enabled: boolean, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    assertThat(user.phone_verified_at, () => IdentityErrors.phoneNotVerified());
    assertThat(enabled || user.totp_enabled_at || user.has_passkey, () =>
      IdentityErrors.lastFactor(
        'Phone codes are your only second factor. Add an authenticator app or a passkey before you turn them off.',
      ),
    );
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.updateUser(user.id, { phone_factor_enabled: enabled });
      await this.deps.audit.record(this.actor(session, client), {
        action: enabled ? 'user.phone_factor_enabled' : 'user.phone_factor_disabled',
      });
      await this.notify(user, `Phone verification codes were turned ${enabled ? 'on' : 'off'} for sign-in.`);
    });
  }

  private passkeyOwner(user: UserRow): PasskeyOwner {
    return { kind: 'user', id: user.id, email: user.email, name: user.name };
  }

  /** The person's passkeys. */
  passkeys(session: Session) {
    return this.deps.passkeys.list('user', session.userId as string);
  }

  /** Add a passkey, step 1 of 2 (after re-authentication): what the browser asks the authenticator. */
  async passkeyOptions(session: Session) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    return this.deps.passkeys.registrationOptions(this.passkeyOwner(await this.user(session)), session.id);
  }

  /** Add a passkey, step 2 of 2: the authenticator's new credential, with a name; the person is told. */
  async addPasskey(session: Session, input: NewPasskey, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    return this.deps.passkeys.register(this.passkeyOwner(user), session.id, input, client, (passkey) =>
      this.notify(user, `A passkey ("${passkey.name}") was added to your account.`),
    );
  }

  async renamePasskey(session: Session, id: string, name: string, client: Client) {
    await this.deps.passkeys.rename(this.passkeyOwner(await this.user(session)), id, name, client);
  }

  /** Removing a passkey (after re-authentication) is refused when it is the person's last second factor. */
  async removePasskey(session: Session, id: string, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    await this.deps.passkeys.remove(
      this.passkeyOwner(user),
      id,
      client,
      async () => hasCodeFactor(await this.user(session)),
      (name) => this.notify(user, `The passkey "${name}" was removed from your account.`),
    );
  }

  /** Ten recovery codes, shown once; each works once; a new set replaces the old one. */
  async regenerateRecoveryCodes(session: Session, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.replaceRecoveryCodes(
        user.id,
        codes.map((code) => ({ id: newId(), code_digest: this.deps.secrets.digest(code) })),
      );
      await this.deps.audit.record(this.actor(session, client), { action: 'user.recovery_codes_generated' });
      await this.notify(user, 'New recovery codes were generated; the old ones no longer work.');
    });
    return { codes };
  }

  /** Sends a code to the current phone, to authenticate before a change. */
  async sendCurrentPhoneCode(session: Session, channel: PhoneChannel) {
    const user = await this.user(session);
    return inTransaction(this.deps.db, () => this.factors.sendPhoneCode(user, channel));
  }

  /** Change Number, step 1: authenticate with a current method. */
  async startPhoneChange(session: Session, input: { method: FactorMethod; code: string }, client: Client) {
    const user = await this.user(session);
    await this.factors.check(user, input.method, input.code, client);
    await inTransaction(this.deps.db, async () => {
      await this.deps.flows.startStep('phone_change', { userId: user.id }, 10, 'authenticated');
      await this.deps.audit.record(this.actor(session, client), {
        action: 'user.phone_change_authenticated',
        details: { method: input.method },
      });
    });
    return { authenticated: true as const };
  }

  /** Change Number, step 2: a code is sent to the new number. */
  async sendNewPhoneCode(session: Session, input: { phone: string; channel: PhoneChannel }) {
    const user = await this.user(session);
    const flow = await this.deps.flows.open('phone_change', { userId: user.id });
    const phone = toE164(input.phone);
    assertThat(phone, IdentityErrors.invalidPhone);
    await this.deps.throttle.consume(
      {
        name: 'new-phone-code',
        points: 5,
        durationSeconds: 3600,
        message: 'Too many codes were sent. Try again in an hour.',
      },
      user.id,
    );
    await inTransaction(this.deps.db, async () => {
      await this.deps.flows.advance(flow.id, 'new_phone_code_sent', { phone, channel: input.channel });
      const code = await this.deps.flows.issueCode(flow.id);
      await this.deps.outbox.enqueue({ channel: input.channel, to: phone, ...messages.phoneCode(code) });
    });
    return { phone, expiresInSeconds: 600 };
  }

  /** Change Number, step 3: the code from the new number makes it the 2FA phone. */
  async confirmNewPhone(session: Session, code: string, client: Client) {
    const user = await this.user(session);
    const flow = await this.deps.flows.verifyCode('phone_change', { userId: user.id }, code);
    const phone = flow.data.phone as string;
    await inTransaction(this.deps.db, async () => {
      await this.deps.flows.markUsed(flow.id);
      // A sign-in code already sent to the old number must not outlive the change.
      await this.deps.flows.closeOpen('sign_in_code', { userId: user.id });
      await this.deps.store.updateUser(user.id, {
        phone_e164: phone,
        phone_verified_at: this.deps.clock.now(),
      });
      await this.deps.audit.record(this.actor(session, client), {
        action: 'user.phone_changed',
        details: { from: user.phone_e164 ? maskPhone(user.phone_e164) : null, to: maskPhone(phone) },
      });
      await this.notify(user, `Your two-factor phone number was changed to ${maskPhone(phone)}.`);
    });
    return { phone: maskPhone(phone) };
  }

  /** Change password with the current one; every other session of the user ends. */
  async changePassword(
    session: Session,
    input: { currentPassword: string; newPassword: string },
    client: Client,
  ) {
    const user = await this.user(session);
    if (!(await this.factors.checkPassword(user.email, user, input.currentPassword, client))) {
      throw IdentityErrors.passwordIncorrect('currentPassword');
    }
    await assertAcceptablePassword(input.newPassword, personalWords(user.name, user.email), {
      field: 'newPassword',
    });
    const passwordHash = await hashPassword(input.newPassword);
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.updateUser(user.id, {
        password_hash: passwordHash,
        password_changed_at: this.deps.clock.now(),
        must_change_password: false,
      });
      await this.deps.sessions.revokeAllOfUser(user.id, session.id);
      await this.deps.sessions.markReauthenticated(session.id);
      await this.deps.audit.record(this.actor(session, client), { action: 'user.password_changed' });
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.passwordChanged(
          user.name,
          this.deps.clock.now(),
          await this.deps.store.timeZoneFor(user.id, session.accountId),
        ),
      });
    });
  }

  /** Edit email: the new address must be a work email and is used only once its link is followed. */
  async requestEmailChange(session: Session, rawEmail: string, client: Client) {
    this.factors.assertRecentAuthentication(session.reauthenticatedAt);
    const user = await this.user(session);
    const email = normaliseEmail(rawEmail);
    const problem = workEmailProblem(email);
    assertThat(!problem, () => IdentityErrors.workEmailRequired(problem?.message ?? ''));
    assertThat(email !== user.email, IdentityErrors.sameEmail);
    assertThat(!(await this.deps.store.userByEmail(email)), () => IdentityErrors.emailTaken('user'));
    await this.deps.throttle.consume(throttles.mailPerAddress, email);
    await inTransaction(this.deps.db, async () => {
      const { token } = await this.deps.flows.startLink('email_change', { userId: user.id }, 24 * 60, {
        email,
      });
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: email,
        ...messages.confirmNewEmail(user.name, `${this.deps.config.publicUrl}/confirm-email?token=${token}`),
      });
      await this.deps.audit.record(this.actor(session, client), {
        action: 'user.email_change_requested',
        details: { email },
      });
    });
    return { pendingEmail: email };
  }

  /** Following the link makes the change; the old address is told. */
  async confirmEmailChange(token: string, client: Client) {
    return inTransaction(this.deps.db, async () => {
      const flow = await this.deps.flows.consumeLink('email_change', token);
      const user = await this.deps.store.userById(flow.userId as string);
      const email = flow.data.email as string;
      assertThat(!(await this.deps.store.userByEmail(email)), () => IdentityErrors.emailTaken('user'));
      await this.deps.store.updateUser(user.id, { email, email_verified_at: this.deps.clock.now() });
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: user.email,
        ...messages.emailChanged(user.name, email),
      });
      await this.deps.audit.record(
        { ...client, userId: user.id },
        { action: 'user.email_changed', details: { from: user.email, to: email } },
      );
      return { email };
    });
  }

  async rename(session: Session, name: string, client: Client) {
    const trimmed = name.trim();
    assertThat(trimmed.length >= 1 && trimmed.length <= 100, IdentityErrors.invalidName);
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.updateUser(session.userId as string, { name: trimmed });
      await this.deps.audit.record(this.actor(session, client), { action: 'user.renamed' });
    });
  }

  signIns(session: Session) {
    return this.deps.audit.signInsOf(session.userId as string);
  }
}
