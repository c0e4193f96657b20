import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { newAuthId } from '../src/lib/ids.js';
import { Ledger } from '../src/modules/billing/ledger.js';
import { testTarget } from './support/database.js';
import {
  compiledCliBuilt,
  freePort,
  openServerData,
  ownServerDatabase,
  serveCompiled,
  untilServing,
} from './support/server-process.js';

/**
 * kill -9 while payers confirm payments at the test gateway, then restart on the same data: a
 * payment the gateway took is credited once (by its answer before the kill, or by the reconciliation
 * job after the restart), one the gateway did not take is never credited, and confirming everything
 * again credits nothing twice. The compiled server runs in its own process, as `npm start` runs it.
 */
const built = compiledCliBuilt('payments.crash-restart');

const PAYMENTS = 120;
const PAYERS = 8;
/** The server is killed once this many confirmations were answered, with others in flight. */
const KILL_AFTER_ANSWERS = 30;

/** Payers confirming their payments on the test gateway's page; each stops when the server is gone. */
async function confirmAll(url: string, refs: string[], onAnswer = () => {}) {
  const queue = [...refs];
  await Promise.all(
    Array.from({ length: PAYERS }, async () => {
      for (let ref = queue.shift(); ref; ref = queue.shift()) {
        try {
          const answer = await fetch(`${url}/test-gateway/confirm/${ref}`, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: 'outcome=complete',
            redirect: 'manual',
          });
          expect(answer.status).toBe(303);
          onAnswer();
        } catch (error) {
          if ((error as Error).name === 'AssertionError') throw error;
          return;
        }
      }
    }),
  );
}

describe.runIf(built)(`recharges across kill -9, on ${testTarget}`, () => {
  it('credits every payment the gateway took exactly once, and none it did not', async () => {
    const port = await freePort();
    const env = {
      ...(await ownServerDatabase('payments_crash')),
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      PAYMENT_GATEWAY: 'test',
    };
    const url = `http://127.0.0.1:${port}`;

    // Payments awaiting the cardholder's confirmation, as Recharge now leaves them for the card that asks.
    const accountId = randomUUID();
    const methodId = randomUUID();
    const payments = Array.from({ length: PAYMENTS }, (_, n) => ({
      id: randomUUID(),
      ref: `tgpay_${randomBytes(12).toString('hex')}`,
      micros: BigInt(10 + n) * 1_000_000n,
    }));
    const setup = await openServerData(env);
    try {
      await setup.db
        .insertInto('accounts')
        .values({ id: accountId, auth_id: newAuthId('MA'), name: 'Acme', status: 'active', currency: 'USD' })
        .execute();
      await setup.db
        .insertInto('test_gateway_cards')
        .values({
          ref: 'tgcard_crash',
          customer_ref: 'tgcus_crash',
          last4: '3155',
          brand: 'Visa',
          exp_month: 12,
          exp_year: 2031,
          behaviour: 'confirm',
        })
        .execute();
      await setup.db
        .insertInto('payment_customers')
        .values({ account_id: accountId, gateway: 'test', customer_ref: 'tgcus_crash' })
        .execute();
      await setup.db
        .insertInto('payment_methods')
        .values({
          id: methodId,
          account_id: accountId,
          gateway: 'test',
          gateway_ref: 'tgcard_crash',
          brand: 'Visa',
          last4: '3155',
          exp_month: 12,
          exp_year: 2031,
          added_by: 'test',
        })
        .execute();
      await setup.db
        .insertInto('test_gateway_intents')
        .values(
          payments.map((p) => ({
            ref: p.ref,
            card_ref: 'tgcard_crash',
            idempotency_key: p.id,
            amount_minor: p.micros / 10_000n,
            currency: 'USD',
            payment_id: p.id,
            status: 'requires_action' as const,
          })),
        )
        .execute();
      await setup.db
        .insertInto('payments')
        .values(
          payments.map((p) => ({
            id: p.id,
            account_id: accountId,
            payment_method_id: methodId,
            purpose: 'recharge' as const,
            gateway: 'test' as const,
            gateway_ref: p.ref,
            amount_micros: p.micros,
            currency: 'USD',
            status: 'requires_action' as const,
            failure_reason: null,
            action_url: null,
            requested_by: 'test',
            request_key: p.id,
            credited_at: null,
            reversed_at: null,
            reversal_reason: null,
          })),
        )
        .execute();
    } finally {
      await setup.close();
    }

    let server = serveCompiled(env);
    try {
      await untilServing(server.child, `${url}/api/session`);
      let answered = 0;
      await confirmAll(
        url,
        payments.map((p) => p.ref),
        () => {
          answered++;
          if (answered === KILL_AFTER_ANSWERS) server.child.kill('SIGKILL');
        },
      );
      await server.exited;
      expect(answered).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);

      // Down: what the gateway took, and the payments made old, so the reconciliation job at the restart
      // asks about them while the payers confirm again.
      const down = await openServerData(env);
      let taken: string[];
      try {
        taken = (
          await down.db
            .selectFrom('test_gateway_intents')
            .select('payment_id')
            .where('status', '=', 'succeeded')
            .execute()
        ).map((row) => row.payment_id);
        expect(taken.length).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);
        expect(taken.length).toBeLessThan(PAYMENTS);
        // Nothing credited that the gateway did not take, nothing twice.
        const credited = (
          await down.db
            .selectFrom('ledger_entries')
            .select('idempotency_key')
            .where('account_id', '=', accountId)
            .execute()
        ).map((row) => row.idempotency_key.replace('payment:', ''));
        expect(new Set(credited).size).toBe(credited.length);
        expect(credited.filter((id) => !taken.includes(id))).toEqual([]);
        await sql`UPDATE payments SET updated_at = now() - interval '10 minutes' WHERE account_id = ${accountId}`.execute(
          down.db,
        );
      } finally {
        await down.close();
      }

      // Restart: every payer confirms again (a payment the gateway took before the kill is only told again).
      server = serveCompiled(env);
      await untilServing(server.child, `${url}/api/session`);
      await confirmAll(
        url,
        payments.map((p) => p.ref),
      );
      server.child.kill('SIGTERM');
      expect((await server.exited)[0]).toBe(0);

      const after = await openServerData(env);
      try {
        const entries = await after.db
          .selectFrom('ledger_entries')
          .select(['idempotency_key', 'amount_micros'])
          .where('account_id', '=', accountId)
          .execute();
        // Every payment is now taken (confirmed again after the restart), each credited once.
        expect(entries.map((e) => e.idempotency_key).sort()).toEqual(
          payments.map((p) => `payment:${p.id}`).sort(),
        );
        const total = payments.reduce((sum, p) => sum + p.micros, 0n);
        const balance = await after.db
          .selectFrom('accounts')
          .select('balance_micros')
          .where('id', '=', accountId)
          .executeTakeFirstOrThrow();
        expect(balance.balance_micros).toBe(total);
        const states = await after.db
          .selectFrom('payments')
          .select((eb) => ['status', eb.fn.countAll<bigint>().as('n')])
          .where('account_id', '=', accountId)
          .groupBy('status')
          .execute();
        expect(states.map((s) => [s.status, Number(s.n)])).toEqual([['succeeded', PAYMENTS]]);
        expect(await new Ledger(after.db, { publish: async () => {} }).verify()).toEqual([]);
      } finally {
        await after.close();
      }
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    }
  }, 180_000);
});
