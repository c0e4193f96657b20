import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import { type DatabaseHandle, inTransaction } from '../../db/database.js';
import type { AccountStatus } from '../../db/schema.js';
import { EventBus } from '../../events/bus.js';
import type { EventPayload } from '../../events/catalog.js';
import { Jobs } from '../../jobs/runner.js';
import { systemClock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { AuditLog } from '../audit/audit.js';
import { AccountErrors } from './errors.js';
import { AccountLifecycle, IllegalStatusTransition, statusTransitions } from './lifecycle.js';

let handle: DatabaseHandle;
let lifecycle: AccountLifecycle;
const published: EventPayload<'account.status_changed'>[] = [];
const staff = { ip: '192.0.2.10', userAgent: 'test', staffId: null };

beforeAll(async () => {
  handle = await createTestDatabase();
  const events = new EventBus(
    new Jobs({ db: handle.db, clock: systemClock, log: pino({ level: 'silent' }) }),
  );
  events.duringTransaction('account.status_changed', async (event) => {
    published.push(event);
  });
  lifecycle = new AccountLifecycle(handle.db, systemClock, new AuditLog(handle.db), events);
});
afterAll(() => handle.close());

/** An account already in the given status: the test's starting point, written directly. */
async function accountIn(status: AccountStatus) {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({ id, auth_id: newAuthId('MA'), name: 'Acme Telecom', signup_ip: null, status })
    .execute();
  return id;
}

const statusOf = async (id: string) =>
  (await handle.db.selectFrom('accounts').select('status').where('id', '=', id).executeTakeFirstOrThrow())
    .status;
const auditOf = (id: string) =>
  handle.db.selectFrom('audit_events').select(['action', 'details']).where('account_id', '=', id).execute();

describe(`the account lifecycle on ${testTarget}`, () => {
  it.each(statusTransitions)('moves $from to $to by $by, audited as $action and published', async (t) => {
    const id = await accountIn(t.from);
    await lifecycle.transition(staff, id, { to: t.to, by: t.by, reason: 'Checked by the test.' });
    expect(await statusOf(id)).toBe(t.to);
    expect(await auditOf(id)).toEqual([
      { action: t.action, details: { from: t.from, to: t.to, reason: 'Checked by the test.' } },
    ]);
    expect(published.filter((event) => event.accountId === id)).toEqual([
      { accountId: id, from: t.from, to: t.to, by: t.by, reason: 'Checked by the test.' },
    ]);
  });

  it('refuses a transition the table does not list, changing, auditing and publishing nothing', async () => {
    const id = await accountIn('active');
    const refused = await lifecycle
      .transition(staff, id, { to: 'under_review', by: 'system', reason: 'Held again.' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(IllegalStatusTransition);
    expect(refused).toMatchObject({
      status: 409,
      code: AccountErrors.illegalStatusTransition,
      from: 'active',
    });
    expect(await statusOf(id)).toBe('active');
    expect(await auditOf(id)).toEqual([]);
    expect(published.some((event) => event.accountId === id)).toBe(false);
  });

  it('refuses a listed transition made by someone the table does not name', async () => {
    const id = await accountIn('under_review');
    await expect(
      lifecycle.transition(staff, id, { to: 'active', by: 'owner', reason: 'Approving myself.' }),
    ).rejects.toBeInstanceOf(IllegalStatusTransition);
    expect(await statusOf(id)).toBe('under_review');
  });

  it('refuses a closed account any change', async () => {
    const id = await accountIn('closed');
    for (const to of ['active', 'suspended', 'under_review'] as const)
      for (const by of ['system', 'staff', 'owner'] as const)
        await expect(lifecycle.transition(staff, id, { to, by, reason: 'Reopen.' })).rejects.toBeInstanceOf(
          IllegalStatusTransition,
        );
  });

  it('keeps the first activation time when a suspended account is reinstated', async () => {
    const id = await accountIn('pending_verification');
    await lifecycle.transition(staff, id, { to: 'active', by: 'system', reason: 'Rules passed.' });
    const activatedAt = async () =>
      (
        await handle.db
          .selectFrom('accounts')
          .select('activated_at')
          .where('id', '=', id)
          .executeTakeFirstOrThrow()
      ).activated_at;
    const first = await activatedAt();
    expect(first).toBeInstanceOf(Date);
    await inTransaction(handle.db, async () => {
      await lifecycle.transition(staff, id, { to: 'suspended', by: 'staff', reason: 'Unpaid invoices.' });
      await lifecycle.transition(staff, id, { to: 'active', by: 'staff', reason: 'Paid.' });
    });
    expect(await activatedAt()).toEqual(first);
  });
});
