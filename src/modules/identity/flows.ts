import { type Insertable, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { FlowsTable } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { RateLimited } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomDigits, randomToken, type SecretBox } from '../../lib/secrets.js';
import { IdentityErrors } from './errors.js';

/**
 * Every self-service step (email verification, phone verification, password reset, email change,
 * 2FA phone change, authenticator enrolment, staff setup) is a flow row: a purpose, an owner, an
 * expiry, an attempt count and single use. Links and codes point at a flow; this is the one
 * mechanism behind "single use", "expires" and "5 attempts".
 */
export type FlowPurpose =
  | 'email_verification'
  | 'phone_verification'
  | 'sign_in_code'
  | 'password_reset'
  | 'email_change'
  | 'phone_change'
  | 'totp_enrolment'
  | 'staff_setup';

export interface Flow {
  id: string;
  purpose: string;
  userId: string | null;
  staffId: string | null;
  data: Record<string, unknown>;
  state: string;
  expiresAt: Date;
}

type Owner = { userId: string; staffId?: undefined } | { staffId: string; userId?: undefined };

export const OTP_LENGTH = 6;
export const OTP_MINUTES = 10;
export const OTP_ATTEMPTS = 5;

export class Flows {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly clock: Clock,
  ) {}

  /** Starts a flow reached by a link; earlier open flows of the same purpose and owner stop working. */
  async startLink(purpose: FlowPurpose, owner: Owner, minutes: number, data: Record<string, unknown> = {}) {
    const token = randomToken();
    const id = await this.begin(purpose, owner, minutes, data, { token_digest: this.secrets.digest(token) });
    return { id, token };
  }

  /** Starts a flow that is neither a link nor a code: a step proven by what came before it. */
  async startStep(
    purpose: FlowPurpose,
    owner: Owner,
    minutes: number,
    state: string,
    data: Record<string, unknown> = {},
  ) {
    return { id: await this.begin(purpose, owner, minutes, data, { state }) };
  }

  /** Closes the owner's open flows of the purpose and inserts the new one. */
  private async begin(
    purpose: FlowPurpose,
    owner: Owner,
    minutes: number,
    data: Record<string, unknown>,
    fields: Partial<
      Pick<
        Insertable<FlowsTable>,
        'token_digest' | 'code_digest' | 'state' | 'max_attempts' | 'sent_count' | 'last_sent_at'
      >
    >,
    id = newId(),
  ): Promise<string> {
    await this.closeOpen(purpose, owner);
    await executor(this.db)
      .insertInto('flows')
      .values({
        id,
        purpose,
        user_id: owner.userId ?? null,
        staff_id: owner.staffId ?? null,
        token_digest: null,
        code_digest: null,
        data: JSON.stringify(data),
        expires_at: new Date(this.clock.now().getTime() + minutes * 60_000),
        ...fields,
      })
      .execute();
    return id;
  }

  /** Looks a link's flow up without using it, saying clearly when it is unknown, used or expired. */
  async peekLink(purpose: FlowPurpose, token: string): Promise<Flow> {
    const row = await executor(this.db)
      .selectFrom('flows')
      .selectAll()
      .where('token_digest', '=', this.secrets.digest(token))
      .where('purpose', '=', purpose)
      .executeTakeFirst();
    if (!row) throw IdentityErrors.linkInvalid();
    if (row.used_at) throw IdentityErrors.linkUsed();
    if (row.expires_at <= this.clock.now()) throw IdentityErrors.linkExpired();
    return toFlow(row);
  }

  /** Uses a link exactly once: of two concurrent uses, one wins and the other is told it was used. */
  async consumeLink(purpose: FlowPurpose, token: string): Promise<Flow> {
    const flow = await this.peekLink(purpose, token);
    await this.markUsed(flow.id);
    return flow;
  }

  /**
   * Starts a flow proven by a 6-digit code valid for 10 minutes; only the latest code of a purpose
   * works. `resend` limits: one code per 30 seconds, five per hour.
   */
  async startCode(
    purpose: FlowPurpose,
    owner: Owner,
    data: Record<string, unknown> = {},
    state = 'code_sent',
  ) {
    const recent = await executor(this.db)
      .selectFrom('flows')
      .select(['last_sent_at'])
      .where(owner.userId ? 'user_id' : 'staff_id', '=', (owner.userId ?? owner.staffId) as string)
      .where('purpose', '=', purpose)
      .where('last_sent_at', '>', new Date(this.clock.now().getTime() - 3_600_000))
      .orderBy('last_sent_at', 'desc')
      .execute();
    const latest = recent[0]?.last_sent_at;
    if (latest && this.clock.now().getTime() - latest.getTime() < 30_000) {
      const wait = Math.ceil((30_000 - (this.clock.now().getTime() - latest.getTime())) / 1000);
      throw RateLimited(`A code was sent moments ago. You can ask for another in ${wait} seconds.`, wait);
    }
    if (recent.length >= 5) {
      throw RateLimited('Too many codes were sent in the last hour. Try again later.', 3600);
    }
    const code = randomDigits(OTP_LENGTH);
    const id = newId();
    await this.begin(
      purpose,
      owner,
      OTP_MINUTES,
      data,
      {
        code_digest: this.secrets.digest(`${id}:${code}`),
        state,
        max_attempts: OTP_ATTEMPTS,
        sent_count: 1,
        last_sent_at: this.clock.now(),
      },
      id,
    );
    return { id, code };
  }

  /** The owner's open flow of a purpose (latest), or a clear 4xx. */
  async open(purpose: FlowPurpose, owner: Owner): Promise<Flow> {
    const row = await executor(this.db)
      .selectFrom('flows')
      .selectAll()
      .where(owner.userId ? 'user_id' : 'staff_id', '=', (owner.userId ?? owner.staffId) as string)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw IdentityErrors.noOpenStep();
    if (row.expires_at <= this.clock.now()) throw IdentityErrors.codeExpired();
    return toFlow(row);
  }

  /**
   * Checks a code against the owner's latest flow of a purpose. Each check takes one of five
   * attempts first (an atomic increment that refuses beyond the fifth, so concurrent guesses
   * cannot outrun it); after the fifth wrong code, or after 10 minutes, a new code is needed. Call
   * it outside a transaction (a wrong attempt must be counted even though the request fails); the
   * caller then ends the flow with markUsed inside the transaction that acts on it.
   */
  async verifyCode(purpose: FlowPurpose, owner: Owner, code: string): Promise<Flow> {
    const flow = await this.open(purpose, owner);
    const sent = await executor(this.db)
      .selectFrom('flows')
      .select('code_digest')
      .where('id', '=', flow.id)
      .executeTakeFirstOrThrow();
    if (!sent.code_digest) throw IdentityErrors.noCodeSent();
    const row = await executor(this.db)
      .updateTable('flows')
      .set({ attempts: sql<number>`attempts + 1` })
      .where('id', '=', flow.id)
      .where('attempts', '<', sql<number>`max_attempts`)
      .returning(['attempts', 'max_attempts', 'code_digest'])
      .executeTakeFirst();
    if (!row) throw IdentityErrors.codeAttemptsUsed();
    const expected = this.secrets.digest(`${flow.id}:${code.trim()}`);
    if (expected !== row.code_digest) {
      const left = row.max_attempts - row.attempts;
      if (left <= 0)
        throw IdentityErrors.codeAttemptsUsed(
          'That code is not right, and no attempts are left. Ask for a new code.',
        );
      throw IdentityErrors.codeIncorrect(
        `That code is not right. ${left} attempt${left === 1 ? '' : 's'} left.`,
      );
    }
    return flow;
  }

  /** Moves a flow to its next state, replacing its data, and clears its code. */
  async advance(flowId: string, state: string, data: Record<string, unknown>): Promise<void> {
    await executor(this.db)
      .updateTable('flows')
      .set({ state, data: JSON.stringify(data), code_digest: null, attempts: 0 })
      .where('id', '=', flowId)
      .execute();
  }

  /** Gives an open flow a fresh code (a later step proven by a code sent elsewhere). */
  async issueCode(flowId: string): Promise<string> {
    const code = randomDigits(OTP_LENGTH);
    await executor(this.db)
      .updateTable('flows')
      .set({
        code_digest: this.secrets.digest(`${flowId}:${code}`),
        attempts: 0,
        sent_count: sql<number>`sent_count + 1`,
        last_sent_at: this.clock.now(),
        expires_at: new Date(this.clock.now().getTime() + OTP_MINUTES * 60_000),
      })
      .where('id', '=', flowId)
      .execute();
    return code;
  }

  async markUsed(flowId: string): Promise<void> {
    const result = await executor(this.db)
      .updateTable('flows')
      .set({ used_at: this.clock.now() })
      .where('id', '=', flowId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (result.numUpdatedRows === 0n)
      throw IdentityErrors.linkUsed('This has already been used. Ask for a new one if you still need it.');
  }

  /** Ends the owner's open flows of a purpose: their links and codes stop working. */
  async closeOpen(purpose: FlowPurpose, owner: Owner): Promise<void> {
    await executor(this.db)
      .updateTable('flows')
      .set({ used_at: this.clock.now(), state: 'superseded' })
      .where(owner.userId ? 'user_id' : 'staff_id', '=', (owner.userId ?? owner.staffId) as string)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}

function toFlow(row: {
  id: string;
  purpose: string;
  user_id: string | null;
  staff_id: string | null;
  data: Record<string, unknown>;
  state: string;
  expires_at: Date;
}): Flow {
  return {
    id: row.id,
    purpose: row.purpose,
    userId: row.user_id,
    staffId: row.staff_id,
    data: row.data,
    state: row.state,
    expiresAt: row.expires_at,
  };
}
