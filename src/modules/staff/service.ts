import { inTransaction } from '../../db/database.js';
import type { StaffRole } from '../../db/schema.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { messages } from '../../notify/messages.js';
import { type Client, type StaffDeps, takeSignInAttempt } from '../identity/deps.js';
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
    const { throttle, clock, secrets, sessions } = this.deps;
    const staff = await this.byId(session.staffId as string);
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
    return inTransaction(this.deps.db, async () => {
      const next = await sessions.rotate(session, 'full', client);
      await this.deps.audit.record({ ...client, staffId: staff.id }, { action: 'staff.signed_in' });
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
