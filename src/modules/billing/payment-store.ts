import { type Selectable, sql } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import type { PaymentGatewayName, PaymentMethodsTable, PaymentsTable } from '../../db/schema.js';

export type PaymentRow = Selectable<PaymentsTable>;
export type PaymentMethodRow = Selectable<PaymentMethodsTable>;

/** SQL for payment_customers, payment_methods and payments. */
export class PaymentStore {
  constructor(private readonly db: Db) {}

  async customerOf(accountId: string, gateway: PaymentGatewayName): Promise<string | undefined> {
    const row = await executor(this.db)
      .selectFrom('payment_customers')
      .select('customer_ref')
      .where('account_id', '=', accountId)
      .where('gateway', '=', gateway)
      .executeTakeFirst();
    return row?.customer_ref;
  }

  /** Keeps the first customer stored for the account (two concurrent first cards make one). */
  async saveCustomer(accountId: string, gateway: PaymentGatewayName, customerRef: string): Promise<string> {
    await executor(this.db)
      .insertInto('payment_customers')
      .values({ account_id: accountId, gateway, customer_ref: customerRef })
      .onConflict((conflict) => conflict.column('account_id').doNothing())
      .execute();
    return (await this.customerOf(accountId, gateway)) ?? customerRef;
  }

  async accountFacts(accountId: string) {
    return executor(this.db)
      .selectFrom('accounts')
      .select(['id', 'name', 'auth_id', 'currency', 'balance_micros'])
      .where('id', '=', accountId)
      .where('parent_account_id', 'is', null)
      .executeTakeFirst();
  }

  async methods(accountId: string, gateway: PaymentGatewayName): Promise<PaymentMethodRow[]> {
    return executor(this.db)
      .selectFrom('payment_methods')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('gateway', '=', gateway)
      .where('removed_at', 'is', null)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async method(accountId: string, methodId: string): Promise<PaymentMethodRow | undefined> {
    return executor(this.db)
      .selectFrom('payment_methods')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', methodId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
  }

  async addMethod(row: Omit<PaymentMethodRow, 'created_at' | 'removed_at'>): Promise<PaymentMethodRow> {
    return executor(this.db)
      .insertInto('payment_methods')
      .values(row)
      .onConflict((conflict) =>
        conflict.columns(['gateway', 'gateway_ref']).doUpdateSet({ removed_at: null }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async removeMethod(accountId: string, methodId: string): Promise<boolean> {
    const result = await executor(this.db)
      .updateTable('payment_methods')
      .set({ removed_at: new Date() })
      .where('account_id', '=', accountId)
      .where('id', '=', methodId)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async insertPayment(
    row: Omit<PaymentRow, 'number' | 'created_at' | 'updated_at'>,
  ): Promise<PaymentRow | undefined> {
    return executor(this.db)
      .insertInto('payments')
      .values(row)
      .onConflict((conflict) => conflict.doNothing())
      .returningAll()
      .executeTakeFirst();
  }

  async paymentByRequestKey(accountId: string, requestKey: string): Promise<PaymentRow | undefined> {
    return executor(this.db)
      .selectFrom('payments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('request_key', '=', requestKey)
      .executeTakeFirst();
  }

  async payment(paymentId: string, forUpdate = false): Promise<PaymentRow | undefined> {
    let query = executor(this.db).selectFrom('payments').selectAll().where('id', '=', paymentId);
    if (forUpdate) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async paymentOfAccount(accountId: string, paymentId: string): Promise<PaymentRow | undefined> {
    return executor(this.db)
      .selectFrom('payments')
      .selectAll()
      .where('account_id', '=', accountId)
      .where('id', '=', paymentId)
      .executeTakeFirst();
  }

  async paymentByGatewayRef(
    gateway: PaymentGatewayName,
    gatewayRef: string,
  ): Promise<PaymentRow | undefined> {
    return executor(this.db)
      .selectFrom('payments')
      .selectAll()
      .where('gateway', '=', gateway)
      .where('gateway_ref', '=', gatewayRef)
      .executeTakeFirst();
  }

  async updatePayment(
    paymentId: string,
    changes: Partial<Omit<PaymentRow, 'id' | 'number' | 'created_at'>>,
  ): Promise<void> {
    await executor(this.db)
      .updateTable('payments')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', paymentId)
      .execute();
  }

  /** The account's payments, newest first, with the card each used. */
  async history(accountId: string, limit: number) {
    return executor(this.db)
      .selectFrom('payments as p')
      .leftJoin('payment_methods as m', 'm.id', 'p.payment_method_id')
      .select([
        'p.id',
        'p.number',
        'p.purpose',
        'p.amount_micros',
        'p.currency',
        'p.status',
        'p.failure_reason',
        'p.action_url',
        'p.credited_at',
        'p.reversed_at',
        'p.reversal_reason',
        'p.created_at',
        'm.brand',
        'm.last4',
      ])
      .where('p.account_id', '=', accountId)
      .orderBy('p.created_at', 'desc')
      .orderBy('p.number', 'desc')
      .limit(limit)
      .execute();
  }

  /** Whether Switchboard refunded part or all of this payment itself (src/modules/billing/refunds.ts). */
  async refundedBySwitchboard(paymentId: string): Promise<boolean> {
    const row = await executor(this.db)
      .selectFrom('refunds')
      .select('id')
      .where('payment_id', '=', paymentId)
      .where('status', '!=', 'failed')
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Payments waiting on the gateway since before `before`: the reconciliation job asks again. */
  async stalled(before: Date, limit: number): Promise<PaymentRow[]> {
    return (
      executor(this.db)
        .selectFrom('payments')
        .selectAll()
        .where('status', 'in', ['pending', 'requires_action'])
        // An auto-recharge the gateway declined waits for its job's retry, which charges anew.
        .where((eb) => eb.or([eb('purpose', '!=', 'auto_recharge'), eb('failure_reason', 'is', null)]))
        .where('updated_at', '<', before)
        .orderBy('updated_at')
        .limit(limit)
        .execute()
    );
  }

  /** What a receipt shows beside the payment: the account, the card, the balance right after its credit. */
  async receiptFacts(accountId: string, paymentId: string) {
    const { rows } = await sql<{
      name: string;
      auth_id: string;
      timezone: string;
      brand: string | null;
      last4: string | null;
      balance_after: bigint;
    }>`
      SELECT a.name, a.auth_id, a.timezone, m.brand, m.last4,
        (SELECT coalesce(sum(e.amount_micros), 0) FROM ledger_entries e
         WHERE e.account_id = a.id AND e.id <= (SELECT c.id FROM ledger_entries c
           WHERE c.account_id = a.id AND c.idempotency_key = ${`payment:${paymentId}`}))::bigint AS balance_after
      FROM payments p JOIN accounts a ON a.id = p.account_id
      LEFT JOIN payment_methods m ON m.id = p.payment_method_id
      WHERE p.id = ${paymentId} AND p.account_id = ${accountId}`.execute(executor(this.db));
    const row = rows[0];
    if (!row) throw new Error(`no payment ${paymentId} of account ${accountId}`);
    return {
      accountName: row.name,
      authId: row.auth_id,
      timeZone: row.timezone,
      brand: row.brand,
      last4: row.last4,
      balanceAfterMicros: row.balance_after,
    };
  }
}
