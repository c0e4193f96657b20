import { type ExpressionBuilder, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { Database, PasskeyPurpose } from '../../db/schema.js';

/** Whose passkeys: a customer's user or one of the operator's staff. */
export type PrincipalKind = 'user' | 'staff';

const ownerColumn = (kind: PrincipalKind) => (kind === 'user' ? 'user_id' : 'staff_id');

export type PasskeyRow = Awaited<ReturnType<PasskeyStore['byCredentialId']>> & {};

/** Where a challenge is bound: the session that asked, or (before any session) the asking browser. */
export type ChallengeBinding = { sessionId: string } | { browserDigest: string };

/** SQL for passkeys and their ceremonies' challenges. */
export class PasskeyStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  ofOwner(kind: PrincipalKind, ownerId: string) {
    return this.q
      .selectFrom('passkeys')
      .selectAll()
      .where(ownerColumn(kind), '=', ownerId)
      .orderBy('created_at')
      .execute();
  }

  byCredentialId(kind: PrincipalKind, credentialId: string) {
    return this.q
      .selectFrom('passkeys')
      .selectAll()
      .where('credential_id', '=', credentialId)
      .where(ownerColumn(kind), 'is not', null)
      .executeTakeFirst();
  }

  async insert(row: {
    id: string;
    kind: PrincipalKind;
    ownerId: string;
    credentialId: string;
    publicKey: string;
    counter: number;
    transports: string[];
    userHandle: string;
    name: string;
  }): Promise<boolean> {
    const inserted = await this.q
      .insertInto('passkeys')
      .values({
        id: row.id,
        user_id: row.kind === 'user' ? row.ownerId : null,
        staff_id: row.kind === 'staff' ? row.ownerId : null,
        credential_id: row.credentialId,
        public_key: row.publicKey,
        counter: BigInt(row.counter),
        transports: JSON.stringify(row.transports),
        user_handle: row.userHandle,
        name: row.name,
      })
      .onConflict((oc) => oc.column('credential_id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /**
   * Records a use: the counter moves from the value the assertion was checked against to the new
   * one, and only once (of two uses checked against the same counter, one wins).
   */
  async recordUse(id: string, checkedCounter: bigint, newCounter: number, at: Date): Promise<boolean> {
    const result = await this.q
      .updateTable('passkeys')
      .set({ counter: BigInt(newCounter), last_used_at: at })
      .where('id', '=', id)
      .where('counter', '=', checkedCounter)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async rename(kind: PrincipalKind, ownerId: string, id: string, name: string): Promise<boolean> {
    const result = await this.q
      .updateTable('passkeys')
      .set({ name })
      .where('id', '=', id)
      .where(ownerColumn(kind), '=', ownerId)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async remove(kind: PrincipalKind, ownerId: string, id: string) {
    return this.q
      .deleteFrom('passkeys')
      .where('id', '=', id)
      .where(ownerColumn(kind), '=', ownerId)
      .returning(['id', 'name'])
      .executeTakeFirst();
  }

  /** Holds the owner's row until the transaction ends, so two removals cannot both take the last factor. */
  async lockOwner(kind: PrincipalKind, ownerId: string): Promise<void> {
    if (kind === 'user') await sql`SELECT 1 FROM users WHERE id = ${ownerId} FOR UPDATE`.execute(this.q);
    else await sql`SELECT 1 FROM staff_members WHERE id = ${ownerId} FOR UPDATE`.execute(this.q);
  }

  /** Starts a challenge; the earlier open ones of the same binding and purpose stop working. */
  async startChallenge(row: {
    id: string;
    kind: PrincipalKind;
    purpose: PasskeyPurpose;
    binding: ChallengeBinding;
    challenge: string;
    expiresAt: Date;
    now: Date;
  }): Promise<void> {
    await this.q
      .updateTable('passkey_challenges')
      .set({ used_at: row.now })
      .where('used_at', 'is', null)
      .where('purpose', '=', row.purpose)
      .where(this.bound(row.binding))
      .execute();
    await this.q
      .insertInto('passkey_challenges')
      .values({
        id: row.id,
        principal: row.kind,
        purpose: row.purpose,
        session_id: 'sessionId' in row.binding ? row.binding.sessionId : null,
        browser_digest: 'browserDigest' in row.binding ? row.binding.browserDigest : null,
        challenge: row.challenge,
        expires_at: row.expiresAt,
      })
      .execute();
  }

  /**
   * Uses the binding's open challenge of a purpose, once: of two concurrent uses one gets it; an
   * expired one is used up all the same. Answers the challenge while it was still live.
   */
  async consumeChallenge(
    kind: PrincipalKind,
    purpose: PasskeyPurpose,
    binding: ChallengeBinding,
    now: Date,
  ): Promise<string | undefined> {
    const row = await this.q
      .updateTable('passkey_challenges')
      .set({ used_at: now })
      .where('used_at', 'is', null)
      .where('principal', '=', kind)
      .where('purpose', '=', purpose)
      .where(this.bound(binding))
      .returning(['challenge', 'expires_at'])
      .executeTakeFirst();
    return row && row.expires_at > now ? row.challenge : undefined;
  }

  /** The condition of a binding, for a `where`. */
  private bound(binding: ChallengeBinding) {
    return (eb: ExpressionBuilder<Database, 'passkey_challenges'>) =>
      'sessionId' in binding
        ? eb('session_id', '=', binding.sessionId)
        : eb('browser_digest', '=', binding.browserDigest);
  }
}
