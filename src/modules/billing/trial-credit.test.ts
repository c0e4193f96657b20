import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, testTarget } from '../../../test/support/database.js';
import type { DatabaseHandle } from '../../db/database.js';
import type { AccountStatus } from '../../db/schema.js';
import { EventBus } from '../../events/bus.js';
import { Jobs } from '../../jobs/runner.js';
import { systemClock } from '../../lib/clock.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { AccountLifecycle } from '../accounts/lifecycle.js';
import { AuditLog } from '../audit/audit.js';
import { Ledger } from './ledger.js';
import { trialCreditOnActivation } from './trial-credit.js';

let handle: DatabaseHandle;
let lifecycle: AccountLifecycle;
const staff = { ip: '192.0.2.10', userAgent: 'test', staffId: null };

beforeAll(async () => {
  handle = await createTestDatabase();
  const events = new EventBus(
    new Jobs({ db: handle.db, clock: systemClock, log: pino({ level: 'silent' }) }),
  );
  const ledger = new Ledger(handle.db, events);
  events.duringTransaction('account.status_changed', trialCreditOnActivation(handle.db, ledger, 5_000_000n));
  lifecycle = new AccountLifecycle(handle.db, systemClock, new AuditLog(handle.db), events);
});
afterAll(() => handle.close());

async function accountIn(status: AccountStatus) {
  const id = newId();
  await handle.db
    .insertInto('accounts')
    .values({ id, auth_id: newAuthId('MA'), name: 'Acme', signup_ip: null, status, currency: 'EUR' })
    .execute();
  return id;
}
const entriesOf = (id: string) =>
  handle.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount_micros', 'currency'])
    .where('account_id', '=', id)
    .execute();

describe(`trial credit on ${testTarget}`, () => {
  it('credits an account once, when it is first activated, in its currency', async () => {
    const id = await accountIn('under_review');
    await lifecycle.transition(staff, id, { to: 'active', by: 'staff', reason: 'Approved.' });
    await lifecycle.transition(staff, id, { to: 'suspended', by: 'staff', reason: 'Unpaid.' });
    await lifecycle.transition(staff, id, { to: 'active', by: 'staff', reason: 'Paid.' });
    expect(await entriesOf(id)).toEqual([
      { kind: 'trial_credit', amount_micros: 5_000_000n, currency: 'EUR' },
    ]);
    const { balance_micros } = await handle.db
      .selectFrom('accounts')
      .select('balance_micros')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(balance_micros).toBe(5_000_000n);
  });

  it('credits nothing to an account that is not activated', async () => {
    const id = await accountIn('pending_verification');
    await lifecycle.transition(staff, id, { to: 'under_review', by: 'system', reason: 'Held.' });
    expect(await entriesOf(id)).toEqual([]);
  });
});
