import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { AuditLog } from '../audit/audit.js';
import { FinancialRetention } from './retention.js';

const NOW = new Date('2034-03-15T12:00:00Z');
const YEARS = 7;
let handle: DatabaseHandle;
let retention: FinancialRetention;

beforeAll(async () => {
  handle = await createTestDatabase();
  retention = new FinancialRetention(
    { db: handle.db, clock: { now: () => NOW }, audit: new AuditLog(handle.db) },
    YEARS,
  );
});
afterAll(() => handle.close());

/** A main account closed at `closedAt`, with a subaccount, written directly. */
async function closedAccount(closedAt: Date) {
  const id = newId();
  const subaccountId = newId();
  const db = handle.db;
  await db
    .insertInto('accounts')
    .values({
      id,
      auth_id: newAuthId('MA'),
      name: 'Acme Telecom',
      company_name: 'Acme Telecom Ltd',
      signup_ip: '198.51.100.7',
      status: 'closed',
      currency: 'USD',
      closed_at: closedAt,
      balance_micros: 2_000_000n,
    })
    .execute();
  await db
    .insertInto('accounts')
    .values({
      id: subaccountId,
      auth_id: newAuthId('SA'),
      name: 'Acme EU',
      status: 'active',
      currency: 'USD',
      parent_account_id: id,
      deleted_at: closedAt,
    })
    .execute();
  await db
    .insertInto('ledger_entries')
    .values({
      account_id: id,
      subaccount_id: null,
      kind: 'adjustment',
      amount_micros: 2_000_000n,
      currency: 'USD',
      idempotency_key: newId(),
      caused_by: 'cli',
    })
    .execute();
  await db
    .insertInto('auth_tokens')
    .values({ id: newId(), account_id: subaccountId, token_encrypted: 'x', token_digest: newId() })
    .execute();
  return { id, subaccountId };
}

async function member(accountId: string) {
  const id = newId();
  await handle.db
    .insertInto('users')
    .values({
      id,
      email: `${id}@example.com`,
      name: 'Pat Member',
      password_hash: 'hash',
      phone_e164: '+14155550123',
    })
    .execute();
  await handle.db
    .insertInto('memberships')
    .values({ account_id: accountId, user_id: id, role: 'admin' })
    .execute();
  return id;
}

const user = (id: string) =>
  handle.db
    .selectFrom('users')
    .select(['email', 'name', 'phone_e164'])
    .where('id', '=', id)
    .executeTakeFirst();
const account = (id: string) =>
  handle.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const count = async (table: 'ledger_entries' | 'auth_tokens' | 'audit_events', accountId: string) =>
  (await handle.db.selectFrom(table).select('account_id').where('account_id', '=', accountId).execute())
    .length;

describe(`closed accounts after the retention on ${testTarget}`, () => {
  it('purges an account closed longer ago than the retention, its subaccounts with it, once', async () => {
    const { id, subaccountId } = await closedAccount(new Date('2027-03-14T12:00:00Z'));
    expect((await retention.purgeDue()).accounts).toBeGreaterThanOrEqual(1);
    expect(await count('ledger_entries', id)).toBe(0);
    expect(await count('auth_tokens', subaccountId)).toBe(0);
    expect(await account(id)).toMatchObject({
      name: 'Closed account',
      company_name: null,
      signup_ip: null,
      balance_micros: 0n,
      status: 'closed',
    });
    expect((await account(subaccountId)).name).toBe('Closed account');
    const purgedAt = (await account(id)).purged_at;
    expect(purgedAt).not.toBeNull();
    await retention.purgeDue();
    expect((await account(id)).purged_at).toEqual(purgedAt);
    expect(await count('audit_events', id)).toBe(1);
  });

  it('leaves an account whose retention has not run out', async () => {
    const { id } = await closedAccount(new Date('2027-03-16T12:00:00Z'));
    await retention.purgeDue();
    expect(await account(id)).toMatchObject({ name: 'Acme Telecom', purged_at: null });
    expect(await count('ledger_entries', id)).toBe(1);
  });

  it('deletes a former member named nowhere else, empties one whom another account’s audit trail names, keeps a member elsewhere', async () => {
    const { id } = await closedAccount(new Date('2026-01-01T00:00:00Z'));
    const named = await member(id);
    const alone = await member(id);
    const stays = await member(id);
    const other = (await closedAccount(new Date('2034-01-01T00:00:00Z'))).id;
    await handle.db
      .insertInto('memberships')
      .values({ account_id: other, user_id: stays, role: 'developer' })
      .execute();
    await new AuditLog(handle.db).record(
      { ip: '192.0.2.1', userAgent: null, userId: named },
      { action: 'user.signed_in', accountId: other },
    );

    await retention.purgeDue();

    expect(await user(alone)).toBeUndefined();
    expect(await user(named)).toEqual({
      email: `purged-${named}@invalid`,
      name: 'Former member',
      phone_e164: null,
    });
    expect(await user(stays)).toEqual({
      email: `${stays}@example.com`,
      name: 'Pat Member',
      phone_e164: '+14155550123',
    });
    expect(await count('audit_events', other)).toBe(1);
  });
});
