import { sql } from 'kysely';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { EventPayload } from '../../events/catalog.js';
import type { Clock } from '../../lib/clock.js';
import { money } from '../../lib/money.js';
import type { Ledger } from './ledger.js';

/** A number's monthly rental for one period, charged to the main account, carrying the subaccount holding it. */
export interface RentalCharge {
  accountId: string;
  subaccountId: string | null;
  /** E.164 digits: the number the rental is for (the entry's reference). */
  number: string;
  /** The period's first day (YYYY-MM-DD): the day it was rented, then each renewal date. */
  periodStart: string;
  amountMicros: bigint;
}

/** What renting a number needs of billing (src/modules/numbers depends on this and nothing deeper). */
export interface NumberRentals {
  /** Charges the period's rental inside the caller's transaction: `charged`, `owed` (the balance could not cover it) or `none` (free, or charged before). */
  chargeRental(rental: RentalCharge): Promise<'charged' | 'owed' | 'none'>;
}

/** 'YYYY-MM-DD' of an instant in a time zone. */
export function dayIn(timeZone: string, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * The renewal after `renewalDate`: the next month, on the day of the month the number was rented
 * (or that month's last day when it is shorter), so 31 January renews 28 February, then 31 March.
 */
export function renewalAfter(renewalDate: string, addedOn: string | null): string {
  const [year, month] = renewalDate.split('-').map(Number) as [number, number];
  const anchor = Number((addedOn ?? renewalDate).slice(8, 10));
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return new Date(Date.UTC(year, month, Math.min(anchor, lastDay))).toISOString().slice(0, 10);
}

/** The ledger key of one number's rental for one period: one charge per number and period, however many instances try. */
export const rentalKey = (number: string, periodStart: string) => `rental:${number}:${periodStart}`;

/**
 * Number rentals: the monthly rental is charged when a number is rented and on each renewal date,
 * as a `rental` entry on the main account's ledger carrying the subaccount that holds the number
 * and referencing it, and counted in the daily usage as product `numbers`. A rental the balance
 * cannot cover is recorded as owed (the number stays rented) and settled, oldest first, by the
 * next credit the balance can cover it from.
 */
export class Rentals implements NumberRentals {
  constructor(
    private readonly db: Db,
    private readonly ledger: Pick<Ledger, 'post'>,
    private readonly clock: Clock,
  ) {}

  private get q() {
    return executor(this.db);
  }

  async chargeRental(rental: RentalCharge): Promise<'charged' | 'owed' | 'none'> {
    if (rental.amountMicros <= 0n) return 'none';
    return inTransaction(this.db, async () => {
      const key = rentalKey(rental.number, rental.periodStart);
      // The balance row is locked first, so two rentals on one account decide one after the other.
      const { rows } = await sql<{ balance_micros: bigint; currency: string; timezone: string }>`
        SELECT balance_micros, currency, timezone FROM accounts WHERE id = ${rental.accountId} FOR NO KEY UPDATE`.execute(
        this.q,
      );
      const account = rows[0];
      if (!account) throw new Error(`No account ${rental.accountId}`);
      const charged = await this.q
        .selectFrom('ledger_entries')
        .select('id')
        .where('account_id', '=', rental.accountId)
        .where('idempotency_key', '=', key)
        .executeTakeFirst();
      if (charged) return 'none';
      if (account.balance_micros >= rental.amountMicros) {
        await this.post(rental, account);
        return 'charged';
      }
      const owed = await this.q
        .insertInto('owed_rentals')
        .values({
          id: crypto.randomUUID(),
          account_id: rental.accountId,
          subaccount_id: rental.subaccountId,
          number: rental.number,
          period_start: rental.periodStart,
          amount_micros: rental.amountMicros,
        })
        .onConflict((conflict) => conflict.columns(['account_id', 'number', 'period_start']).doNothing())
        .returning('id')
        .execute();
      return owed.length > 0 ? 'owed' : 'none';
    });
  }

  /**
   * `ledger.credited`, inside the crediting transaction: owed rentals are charged oldest first while
   * the balance covers them; the first it cannot cover waits for the next credit.
   */
  async settleOwed(event: EventPayload<'ledger.credited'>): Promise<void> {
    const owed = await this.q
      .selectFrom('owed_rentals')
      .selectAll()
      .where('account_id', '=', event.accountId)
      .orderBy('created_at')
      .orderBy('period_start')
      .forUpdate()
      .execute();
    if (owed.length === 0) return;
    const account = await this.q
      .selectFrom('accounts')
      .select(['balance_micros', 'currency', 'timezone'])
      .where('id', '=', event.accountId)
      .executeTakeFirstOrThrow();
    let balance = account.balance_micros;
    for (const row of owed) {
      if (balance < row.amount_micros) return;
      await this.post(
        {
          accountId: row.account_id,
          subaccountId: row.subaccount_id,
          number: row.number,
          periodStart: row.period_start,
          amountMicros: row.amount_micros,
        },
        account,
      );
      await this.q.deleteFrom('owed_rentals').where('id', '=', row.id).execute();
      balance -= row.amount_micros;
    }
  }

  /**
   * The renewal job's work: every rented number whose renewal date has come is charged for the
   * period starting then and its renewal date moves a month on, one number per transaction; a
   * number another instance is renewing is skipped (it holds the row), and one that fell several
   * periods behind is charged for each.
   */
  async renewDue(): Promise<number> {
    const today = this.clock.now().toISOString().slice(0, 10);
    let renewed = 0;
    for (;;) {
      const done = await inTransaction(this.db, async () => {
        const { rows } = await sql<{
          id: string;
          number: string;
          account_id: string;
          subaccount_id: string | null;
          monthly_rental_micros: bigint;
          added_on: string | null;
          renewal_date: string;
        }>`
          SELECT id, number, account_id, subaccount_id, monthly_rental_micros, added_on, renewal_date
          FROM numbers
          WHERE account_id IS NOT NULL AND renewal_date <= ${today}::date
          ORDER BY renewal_date, id
          LIMIT 1
          FOR UPDATE SKIP LOCKED`.execute(this.q);
        const row = rows[0];
        if (!row) return false;
        await this.chargeRental({
          accountId: row.account_id,
          subaccountId: row.subaccount_id,
          number: row.number,
          periodStart: row.renewal_date,
          amountMicros: row.monthly_rental_micros,
        });
        await this.q
          .updateTable('numbers')
          .set({ renewal_date: renewalAfter(row.renewal_date, row.added_on) })
          .where('id', '=', row.id)
          .where('renewal_date', '=', row.renewal_date)
          .execute();
        return true;
      });
      if (!done) return renewed;
      renewed++;
    }
  }

  /** Posts the rental entry and counts it in the day's usage (the account's day), in the caller's transaction. */
  private async post(rental: RentalCharge, account: { currency: string; timezone: string }) {
    const [entry] = await this.ledger.post([
      {
        accountId: rental.accountId,
        subaccountId: rental.subaccountId,
        kind: 'rental',
        amount: money(-rental.amountMicros, account.currency),
        idempotencyKey: rentalKey(rental.number, rental.periodStart),
        causedBy: 'system',
        reference: rental.number,
        description: `Monthly rental of +${rental.number} from ${rental.periodStart}`,
      },
    ]);
    if (!entry) return;
    const day = dayIn(account.timezone, this.clock.now());
    await sql`
      INSERT INTO usage_daily (account_id, subaccount_id, day, product, direction, events, quantity, amount_micros)
      VALUES (${rental.accountId}, ${rental.subaccountId}, ${day}::date, 'numbers', 'none', 1, 1, ${rental.amountMicros.toString()}::bigint)
      ON CONFLICT (account_id, day, product, direction, (coalesce(subaccount_id, '00000000-0000-0000-0000-000000000000'::uuid)))
      DO UPDATE SET events = usage_daily.events + 1, quantity = usage_daily.quantity + 1,
        amount_micros = usage_daily.amount_micros + excluded.amount_micros`.execute(this.q);
  }
}
