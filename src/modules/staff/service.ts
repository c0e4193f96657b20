import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { inTransaction } from '../../db/database.js';
import type { StaffRole } from '../../db/schema.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { messages } from '../../notify/messages.js';
import { type Client, type StaffDeps, takeSignInAttempt } from '../identity/deps.js';
import { IdentityErrors } from '../identity/errors.js';
import { assertRecentAuthentication } from '../identity/factors.js';
import type { NewPasskey } from '../identity/passkey-schemas.js';
import type { PasskeyOwner } from '../identity/passkeys.js';
import { assertAcceptablePassword } from '../identity/password-policy.js';
import { decoyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../identity/passwords.js';
import type { Session } from '../identity/sessions.js';
import { acceptTotpCode, newTotpSecret, totpProvisioning } from '../identity/totp.js';
import { normaliseEmail } from '../identity/work-email.js';
import { StaffErrors } from './errors.js';
import { StaffStore } from './store.js';

const SETUP_LINK_MINUTES = 72 * 60;

/** The operator's own people: created by the CLI, set up from a one-time link, always with an authenticator app. */
export class StaffService {
  private readonly store: StaffStore;

  constructor(private readonly deps: StaffDeps) {
    this.store = new StaffStore(deps.db);
  }

  /** Creates a staff member and answers the one-time link that sets their password and authenticator app. */
  async create(input: { email: string; name: string; role: StaffRole }) {
    const email = normaliseEmail(input.email);
    assertThat(/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email), () => StaffErrors.invalidEmail(input.email));
    assertThat(input.name.trim(), StaffErrors.nameRequired);
    return inTransaction(this.deps.db, async () => {
      const existing = await this.store.byEmail(email);
      assertThat(!existing, () => StaffErrors.staffExists(email));
      const id = newId();
      await this.store.insert({ id, email, name: input.name.trim(), role: input.role });
      const secret = newTotpSecret();
      const { token } = await this.deps.flows.startLink('staff_setup', { staffId: id }, SETUP_LINK_MINUTES, {
        secret: this.deps.secrets.encrypt(secret),
      });
      const link = `${this.deps.config.publicUrl}/staff/setup?token=${token}`;
      await this.deps.outbox.enqueue({
        channel: 'email',
        to: email,
        ...messages.staffSetup(input.name.trim(), link),
      });
      await this.deps.audit.record(
        { ip: 'cli', userAgent: null, staffId: null },
        { action: 'staff.created', details: { email, role: input.role } },
      );
      return { id, email, role: input.role, setupLink: link };
    });
  }

  /** What the setup page shows: who the link is for, and the authenticator QR code to scan. */
  async setupDetails(token: string) {
    const flow = await this.deps.flows.peekLink('staff_setup', token);
    const staff = await this.byId(flow.staffId as string);
    const secret = this.deps.secrets.decrypt(flow.data.secret as string);
    const { uri, qrCode } = await totpProvisioning(secret, staff.email, 'Switchboard staff');
    return { email: staff.email, name: staff.name, secret, otpauthUri: uri, qrCode };
  }

  /** Completes setup: a password under the policy and a code from the app; the link then stops working. */
  async completeSetup(input: { token: string; password: string; code: string }, client: Client) {
    const { flows, secrets, clock } = this.deps;
    const flow = await flows.peekLink('staff_setup', input.token);
    const staff = await this.byId(flow.staffId as string);
    await assertAcceptablePassword(input.password, [
      ...staff.name.toLowerCase().split(/\s+/),
      staff.email.split('@')[0] ?? '',
    ]);
    const secret = secrets.decrypt(flow.data.secret as string);
    const step = acceptTotpCode(secret, input.code.trim(), clock.now(), null);
    assertThat(step !== null, () =>
      StaffErrors.codeIncorrect('That code is not right. Enter the code your app shows now.'),
    );
    const passwordHash = await hashPassword(input.password);
    await inTransaction(this.deps.db, async () => {
      await flows.markUsed(flow.id);
      await this.store.update(staff.id, {
        password_hash: passwordHash,
        totp_secret_encrypted: secrets.encrypt(secret),
        totp_enabled_at: clock.now(),
        totp_last_step: step,
      });
      await this.deps.audit.record({ ...client, staffId: staff.id }, { action: 'staff.setup_completed' });
    });
  }

  /**
   * Staff sign-in, step 1: password. Same answer for unknown emails, same throttles as customers
   * (the attempt taken before the password is checked). The
   * staff session the browser held before ends; the new one's CSRF token is answered, since the
   * code step is a state-changing request made before the staff session can be read.
   */
  async signInWithPassword(
    input: { email: string; password: string },
    client: Client,
    previous: Session | null = null,
  ) {
    const { throttle, sessions } = this.deps;
    const email = normaliseEmail(input.email);
    const attempt = await takeSignInAttempt(throttle, client, `staff:${email}`);
    const staff = await this.deps.db
      .selectFrom('staff_members')
      .selectAll()
      .where('email', '=', email)
      .executeTakeFirst();
    const usable = staff?.password_hash && staff.totp_enabled_at && !staff.disabled_at;
    const matches = await verifyPassword(
      usable ? (staff.password_hash as string) : await decoyPasswordHash(),
      input.password,
    );
    if (!usable || !matches) {
      await this.auditFailure(staff?.id, client);
      throw StaffErrors.signInFailed();
    }
    await attempt.refund();
    const upgradedHash = needsRehash(staff.password_hash as string)
      ? await hashPassword(input.password)
      : null;
    return inTransaction(this.deps.db, async () => {
      if (upgradedHash) await this.store.update(staff.id, { password_hash: upgradedHash });
      if (previous) await sessions.revoke(previous.id);
      const session = await sessions.create(
        { principal: 'staff', staffId: staff.id },
        'second_factor',
        client,
      );
      return { sessionToken: session.token, csrfToken: session.csrfToken };
    });
  }

  /** Staff sign-in, step 2: a code from the authenticator app (each code once). */
  async signInWithCode(session: Session, code: string, client: Client) {
    const staff = await this.byId(session.staffId as string);
    await this.checkCode(staff, code, client);
    return this.completeSignIn(staff.id, session.id, 'totp', client);
  }

  /** Staff sign-in, step 2 with a passkey, first its challenge (bound to this session). */
  passkeyOptions(session: Session) {
    return this.deps.passkeys.secondFactorOptions(
      { kind: 'staff', id: session.staffId as string },
      session.id,
    );
  }

  /** Staff sign-in, step 2 with a passkey: its assertion. */
  async signInWithPasskey(session: Session, credential: AuthenticationResponseJSON, client: Client) {
    const staff = await this.byId(session.staffId as string);
    await this.deps.passkeys.verifySecondFactor(this.passkeyOwner(staff), session.id, credential, client);
    return this.completeSignIn(staff.id, session.id, 'passkey', client);
  }

  /** Staff sign-in with a passkey alone, first its challenge (bound to this browser). */
  passkeySignInOptions() {
    return this.deps.passkeys.signInOptions('staff');
  }

  /**
   * Staff sign-in with a passkey alone: verified by its authenticator, it is both factors. A
   * disabled staff member's passkey gets the same refusal as an unknown one.
   */
  async signInWithPasskeyAlone(
    browserToken: string | undefined,
    credential: AuthenticationResponseJSON,
    client: Client,
    previous: Session | null,
  ) {
    const staffId = await this.deps.passkeys.verifySignIn('staff', browserToken, credential, client);
    const staff = await this.byId(staffId);
    if (!staff.password_hash || !staff.totp_enabled_at || staff.disabled_at) {
      await this.auditFailure(staff.id, client);
      throw IdentityErrors.passkeyRefused();
    }
    return this.completeSignIn(staff.id, previous?.id ?? null, 'passkey', client);
  }

  /** Confirms it is still the staff member (a code from the app) before a sensitive change; 10 minutes. */
  async reauthenticate(session: Session, code: string, client: Client) {
    const staff = await this.byId(session.staffId as string);
    await this.checkCode(staff, code, client);
    await inTransaction(this.deps.db, async () => {
      await this.deps.sessions.markReauthenticated(session.id);
      await this.deps.audit.record({ ...client, staffId: staff.id }, { action: 'staff.reauthenticated' });
    });
  }

  /** The staff member's passkeys. */
  passkeys(session: Session) {
    return this.deps.passkeys.list('staff', session.staffId as string);
  }

  /** Add a passkey, step 1 of 2 (after a recent sign-in or re-authentication). */
  async passkeyRegistrationOptions(session: Session) {
    assertRecentAuthentication(this.deps.clock, session.reauthenticatedAt);
    const staff = await this.byId(session.staffId as string);
    return this.deps.passkeys.registrationOptions(this.passkeyOwner(staff), session.id);
  }

  /** Add a passkey, step 2 of 2: the new credential and its name. */
  async addPasskey(session: Session, input: NewPasskey, client: Client) {
    assertRecentAuthentication(this.deps.clock, session.reauthenticatedAt);
    const staff = await this.byId(session.staffId as string);
    return this.deps.passkeys.register(this.passkeyOwner(staff), session.id, input, client);
  }

  async renamePasskey(session: Session, id: string, name: string, client: Client) {
    const staff = await this.byId(session.staffId as string);
    await this.deps.passkeys.rename(this.passkeyOwner(staff), id, name, client);
  }

  /** Removes a passkey (after re-authentication); staff always keep their authenticator app. */
  async removePasskey(session: Session, id: string, client: Client) {
    assertRecentAuthentication(this.deps.clock, session.reauthenticatedAt);
    const staff = await this.byId(session.staffId as string);
    await this.deps.passkeys.remove(this.passkeyOwner(staff), id, client, async () => true);
  }

  private passkeyOwner(staff: { id: string; email: string; name: string }): PasskeyOwner {
    return { kind: 'staff', id: staff.id, email: staff.email, name: staff.name };
  }

  /** Checks a code from the staff member's app under the sign-in budgets (taken before it is checked); each code once. */
  private async checkCode(
    staff: Awaited<ReturnType<StaffService['byId']>>,
    code: string,
    client: Client,
  ): Promise<void> {
    const { throttle, clock, secrets } = this.deps;
    const attempt = await takeSignInAttempt(throttle, client, `staff:${staff.email}`);
    const step = acceptTotpCode(
      secrets.decrypt(staff.totp_secret_encrypted as string),
      code.trim(),
      clock.now(),
      staff.totp_last_step,
    );
    const claimed = step !== null && (await this.store.claimTotpStep(staff.id, step));
    if (!claimed) {
      await this.auditFailure(staff.id, client);
      throw StaffErrors.codeIncorrect('That code is not right, or it was already used.');
    }
    await attempt.refund();
  }

  /** Both factors proven: a full staff session under a new token (the previous one ends), audited with its method. */
  private completeSignIn(
    staffId: string,
    previousSessionId: string | null,
    method: 'totp' | 'passkey',
    client: Client,
  ) {
    return inTransaction(this.deps.db, async () => {
      if (previousSessionId) await this.deps.sessions.revoke(previousSessionId);
      const next = await this.deps.sessions.create({ principal: 'staff', staffId }, 'full', client);
      await this.deps.audit.record(
        { ...client, staffId },
        { action: 'staff.signed_in', details: { method } },
      );
      return { sessionToken: next.token };
    });
  }

  /** Audits a failed staff password or code (its attempt stays taken from the same budgets as customers'). */
  private async auditFailure(staffId: string | undefined, client: Client) {
    if (staffId)
      await this.deps.audit.record({ ...client, staffId }, { action: 'staff.authentication_failed' });
  }

  async signOut(session: Session, client: Client) {
    await inTransaction(this.deps.db, async () => {
      await this.deps.sessions.revoke(session.id);
      await this.deps.audit.record({ ...client, staffId: session.staffId }, { action: 'staff.signed_out' });
    });
  }

  async byId(id: string) {
    return this.deps.db
      .selectFrom('staff_members')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  }
}
