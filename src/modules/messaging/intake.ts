import { type Db, inTransaction } from '../../db/database.js';
import type { Jobs } from '../../jobs/runner.js';
import { GroupCommit } from '../../lib/group-commit.js';
import { displayMoney, money } from '../../lib/money.js';
import { CreditErrors, PaymentRequired } from '../credit-control/errors.js';
import type { CreditControl } from '../credit-control/service.js';
import { STATUS_CALLBACK_JOB } from './service.js';
import type { MessageStore, NewMessage, SenderOwner } from './store.js';

/** Intake transactions one instance runs at once; further sends wait and are taken together. */
const CONCURRENT_TRANSACTIONS = 2;
/** A transaction takes waiting sends up to about this many messages. */
const MESSAGES_PER_TRANSACTION = 5000;

/** A send checked and rated, its messages ready to be queued (or scheduled). */
export interface Intake {
  owner: SenderOwner;
  rows: NewMessage[];
  /** Scheduled for later: needs some credit now, holds none until it is due. */
  scheduled: boolean;
  /** The messages have a status callback URL: their first state is posted. */
  callback: boolean;
}

interface Waiting extends Intake {
  cost: bigint;
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Reason = typeof CreditErrors.outOfCredit | typeof CreditErrors.spendCapReached;

/**
 * Where sends are queued: each send's cost is held from its account's free credit (within a
 * subaccount's spend caps) in the transaction that inserts its messages, so two sends cannot spend
 * the same credit, and a send the credit left does not cover is refused (402) and queues nothing.
 *
 * Group commit: sends that arrive while this instance's intake transactions are busy wait and are
 * taken together in the next one, in the order they arrived: each account is locked once for the
 * group, each send is decided against the credit the earlier sends of the group left, and the
 * messages of the sends accepted go in multi-row inserts. A busy account then costs one lock and a
 * few statements per group instead of a transaction per send.
 */
export class MessageIntake {
  readonly #sends = new GroupCommit<Waiting>({
    concurrent: CONCURRENT_TRANSACTIONS,
    capacity: MESSAGES_PER_TRANSACTION,
    weight: (send) => send.rows.length,
    run: (group) => this.#settle(group),
  });

  constructor(
    private readonly db: Db,
    private readonly credit: Pick<CreditControl, 'lockRoom' | 'lockRooms' | 'store'>,
    private readonly store: Pick<MessageStore, 'insert'>,
    private readonly jobs: Pick<Jobs, 'enqueueMany'>,
  ) {}

  /** Queues a send's messages with their cost held; rejects with 402 when the credit does not cover it. */
  queue(intake: Intake): Promise<void> {
    const cost = intake.rows.reduce((sum, row) => sum + BigInt(row.amount_micros as bigint), 0n);
    return new Promise((resolve, reject) => this.#sends.add({ ...intake, cost, resolve, reject }));
  }

  /** Answers each send of the group; when the group's transaction fails, each send is tried alone, so one send's failure is its own. */
  async #settle(group: Waiting[]) {
    let refusals: (Error | null)[];
    try {
      refusals = await this.#queueTogether(group);
    } catch (error) {
      if (group.length === 1) return group[0]?.reject(error);
      for (const send of group) await this.#settle([send]);
      return;
    }
    for (const [i, send] of group.entries()) {
      const refusal = refusals[i];
      if (refusal) send.reject(refusal);
      else send.resolve();
    }
  }

  /** One transaction for the group's sends: answers, for each, null (queued) or its 402. */
  async #queueTogether(group: readonly Waiting[]): Promise<(Error | null)[]> {
    return inTransaction(this.db, async () => {
      const accountIds = [...new Set(group.map((send) => send.owner.accountId))];
      const subaccounts = new Map<string, string>();
      for (const send of group)
        if (send.owner.subaccountId) subaccounts.set(send.owner.subaccountId, send.owner.accountId);
      // Each account's free credit, all locked in one statement, in one order so two groups never wait on each other.
      const rooms = await this.credit.lockRooms(accountIds);
      // What a capped subaccount's caps leave, when that is less than its account's free credit.
      const capLeft = new Map<string, bigint>();
      for (const [subaccountId, accountId] of subaccounts) {
        const room = await this.credit.lockRoom(accountId, subaccountId);
        if (room.reason === CreditErrors.spendCapReached) capLeft.set(subaccountId, room.micros);
      }

      const held = new Map<string, bigint>();
      const queued: Waiting[] = [];
      const refusals = group.map((send) => {
        const { accountId, subaccountId } = send.owner;
        const { account, micros } = rooms.get(accountId) as { account: { currency: string }; micros: bigint };
        let room = micros - (held.get(accountId) ?? 0n);
        let reason: Reason = CreditErrors.outOfCredit;
        const cap = subaccountId ? capLeft.get(subaccountId) : undefined;
        if (subaccountId && cap !== undefined && cap - (held.get(subaccountId) ?? 0n) < room) {
          room = cap - (held.get(subaccountId) ?? 0n);
          reason = CreditErrors.spendCapReached;
        }
        if (room <= 0n || (!send.scheduled && send.cost > room))
          return refusal(reason, send.cost, room, account.currency);
        if (!send.scheduled) {
          held.set(accountId, (held.get(accountId) ?? 0n) + send.cost);
          if (subaccountId) held.set(subaccountId, (held.get(subaccountId) ?? 0n) + send.cost);
        }
        queued.push(send);
        return null;
      });

      await this.credit.store.addHeldTo(new Map(accountIds.map((id) => [id, held.get(id) ?? 0n])));
      await this.store.insert(queued.flatMap((send) => send.rows));
      const callbacks = queued.filter((send) => send.callback).flatMap((send) => send.rows);
      if (callbacks.length > 0)
        await this.jobs.enqueueMany(
          callbacks.map((row) => ({
            name: STATUS_CALLBACK_JOB,
            payload: { messageId: row.id, status: row.state },
          })),
        );
      return refusals;
    });
  }
}

function refusal(reason: Reason, cost: bigint, room: bigint, currency: string): Error {
  const free = displayMoney(money(room > 0n ? room : 0n, currency));
  const costs = displayMoney(money(cost, currency));
  return PaymentRequired(
    reason,
    reason === CreditErrors.spendCapReached
      ? `This subaccount has reached its spend cap: the messages cost ${costs} and ${free} of the cap is left. The main account can raise the cap in Account > Subaccounts.`
      : `The account is out of credit: the messages cost ${costs} and ${free} is free to spend. Recharge in Billing > Payment Settings; nothing was queued.`,
  );
}
