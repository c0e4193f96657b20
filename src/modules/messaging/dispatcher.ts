import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { type Db, executor, inTransaction } from '../../db/database.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { newId } from '../../lib/ids.js';
import type { UsageCharging } from '../billing/usage.js';
import type { UsageRecordDraft } from '../billing/usage-store.js';
import type { CreditControl } from '../credit-control/service.js';
import type { RateCounter } from '../gate/rate-counter.js';
import type { MessageCarrier } from './carriers.js';
import { MessageErrorCodes } from './errors.js';
import { type DeliveryReceipt, plivoStateOf } from './receipts.js';
import { segmentMessage } from './segments.js';
import { MESSAGE_API_ENGINE_ID, STATUS_CALLBACK_JOB } from './service.js';
import { type InboundSms, SmscError } from './smsc.js';
import type { MessageRow, MessageStore } from './store.js';

export const INBOUND_CALLBACK_JOB = 'messages.inbound-callback';
/** Queued messages one round takes at most. */
const ROUND_SIZE = 500;
/**
 * Submits answered within this window are recorded in one transaction. The carrier answers submits
 * one at a time: recorded as they came, each would be a transaction holding its account's row, and
 * sends to that account would wait behind them.
 */
const RECORD_WINDOW_MS = 50;
/** Between rounds while the queue is empty (a send wakes the dispatcher at once). */
const IDLE_MS = 500;
/** A message claimed this long ago and never sent belongs to an instance that died: queued again. */
const STRANDED_AFTER_MS = 2 * 60_000;
/**
 * A submit still waiting for the carrier (the SMSC is away and this instance binds again) renews
 * its claim this often, so that it is not taken for stranded and sent a second time.
 */
const RENEW_CLAIM_MS = STRANDED_AFTER_MS / 2;
/** A submit the SMSC could not take for a passing reason is tried again after this. */
const RETRY_AFTER_MS = 5_000;
/** SMPP command_status values that mean "not now" (SMPP 3.4 §5.1.3): ESME_RTHROTTLED, ESME_RMSGQFUL. */
const SMSC_BUSY: readonly number[] = [0x58, 0x14];

/**
 * Whether a submit failed for a passing reason (no session, a dropped one, the connection closed as
 * the server stops, a busy SMSC): the message waits in the queue and goes again.
 */
const passing = (error: unknown) =>
  error instanceof SmscError &&
  (error.code === 'connection_lost' ||
    error.code === 'unreachable' ||
    error.code === 'closed' ||
    (error.code === 'submit_refused' && SMSC_BUSY.includes(error.commandStatus ?? -1)));

export interface DispatcherDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  store: MessageStore;
  carrier: MessageCarrier;
  /** The same counter as the API gate's: in Redis, every instance draws on one rate per account. */
  counter: RateCounter;
  /** Messages per second for a main account: its Message rate class (staff's override or the default). */
  defaultRate: number;
  usage: Pick<UsageCharging, 'rateEvent' | 'chargeInTransaction'>;
  credit: Pick<CreditControl, 'lockRoom' | 'store'>;
  jobs: Pick<Jobs, 'enqueue' | 'enqueueMany'>;
}

/**
 * Takes queued messages out at each account's message rate and hands them to the carrier; records
 * what the carrier reports. Every instance runs one: messages are claimed with FOR UPDATE SKIP
 * LOCKED and each message is counted against its account's rate in the shared counter before it
 * is claimed, so the rate holds across instances. A message is charged when the carrier takes it
 * (`sent`), never for a message that expired in the queue or that the carrier refused.
 */
export class MessageDispatcher {
  #timer: NodeJS.Timeout | undefined;
  #renewTimer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = true;
  /** Messages the carrier took, waiting to be recorded (charged) together. */
  readonly #toRecord: {
    id: string;
    carrierIds: string[];
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  #recording = false;
  /** The messages this instance is submitting, with when their claim was last made or renewed. */
  readonly #submitting = new Map<string, number>();

  constructor(private readonly deps: DispatcherDeps) {
    deps.carrier.onReceipt((receipt) => this.onReceipt(receipt));
    deps.carrier.onInbound((sms) => this.onInbound(sms));
  }

  start(): void {
    this.#stopped = false;
    // A round waits for its submits: while the SMSC is away, claims are renewed from here.
    this.#renewTimer = setInterval(() => {
      this.#renewClaims(this.deps.clock.now()).catch((error: unknown) =>
        this.deps.log.error({ err: error }, 'renewing message claims failed'),
      );
    }, RENEW_CLAIM_MS / 2);
    this.#renewTimer.unref();
    this.wake();
  }

  /**
   * Stops taking messages and waits for the round in hand. Its submits end when the carrier is
   * closed (the messages go back to the queue), so the system closes the carrier meanwhile rather
   * than wait for an SMSC that is away.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    clearInterval(this.#renewTimer);
    await this.#running;
  }

  /** Looks at the queue now (a send was committed, credit arrived). */
  wake = (): void => {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#loop().finally(() => {
      this.#running = undefined;
    });
  };

  /**
   * Rounds while there is work. A round is claimed while the previous one's submits are still
   * paced out, so its submits wait behind them and the SMSC has no gap between rounds; each round
   * waits for the one before it, so at most two are in hand.
   */
  async #loop(): Promise<void> {
    let next = IDLE_MS;
    let previous: Promise<unknown> = Promise.resolve();
    try {
      do {
        this.#again = false;
        const round = await this.#startRound();
        await previous;
        previous = round.submitted;
        next = round.sent > 0 ? 0 : Math.min(IDLE_MS, round.waitMs);
      } while ((this.#again || next === 0) && !this.#stopped);
      await previous;
    } catch (error) {
      this.deps.log.error({ err: error }, 'message dispatch round failed');
    }
    if (!this.#stopped) {
      this.#timer = setTimeout(this.wake, next);
      this.#timer.unref();
    }
  }

  /**
   * One round: expired messages fail, due scheduled messages are queued when their account can pay,
   * stranded claims are released, and due queued messages are sent within their accounts' rates.
   * Answers how many were sent and how long until the earliest postponed one may go.
   */
  async round(): Promise<{ sent: number; waitMs: number }> {
    const { sent, waitMs, submitted } = await this.#startRound();
    await submitted;
    return { sent, waitMs };
  }

  /** A round's work up to its claim; `submitted` settles once its messages are submitted and recorded. */
  async #startRound(): Promise<{ sent: number; waitMs: number; submitted: Promise<unknown> }> {
    await this.expireDue();
    await this.promoteScheduled();
    const now = this.deps.clock.now();
    await this.#renewClaims(now);
    await this.deps.store.stranded(new Date(now.getTime() - STRANDED_AFTER_MS));
    let waitMs = IDLE_MS;
    const claimed = await inTransaction(this.deps.db, async () => {
      const due = await this.deps.store.dueForDispatch(now, ROUND_SIZE);
      const rates = await this.#ratesOf([...new Set(due.map((m) => m.account_id))]);
      const sending: MessageRow[] = [];
      const blocked = new Map<string, number>();
      for (const message of due) {
        if (blocked.has(message.account_id)) continue;
        const decision = await this.deps.counter.hit(
          `${message.account_id}:message-queue`,
          rates.get(message.account_id) ?? this.deps.defaultRate,
          now.getTime(),
        );
        if (decision.admitted) sending.push(message);
        else blocked.set(message.account_id, Math.max(1, decision.resetMs));
      }
      await this.deps.store.markSending(
        sending.map((m) => m.id),
        now,
      );
      // An account over its rate waits, all of its due messages with it, so that the next round's
      // oldest messages are other accounts': one long queue does not hold up everyone else's.
      for (const [accountId, wait] of blocked) {
        await this.deps.store.postponeAccount(accountId, now, new Date(now.getTime() + wait));
        waitMs = Math.min(waitMs, wait);
      }
      return sending;
    });
    const submitted = Promise.all(claimed.map((message) => this.#submit(message)));
    // Awaited by the caller later: until then a failure must not count as unhandled.
    submitted.catch(() => {});
    return { sent: claimed.length, waitMs, submitted };
  }

  /** Queued (or scheduled) messages past their expiry fail with 420, their hold released, uncharged. */
  async expireDue(): Promise<number> {
    const now = this.deps.clock.now();
    const due = await this.deps.store.expired(now, ROUND_SIZE);
    for (const message of due)
      await this.#fail(message.id, ['queued', 'scheduled'], {
        errorCode:
          message.held_reason === 'out_of_credit'
            ? MessageErrorCodes.insufficientCredit
            : MessageErrorCodes.expired,
        detail:
          message.held_reason === 'out_of_credit'
            ? `the account had no credit until the message expired (${message.expiry_seconds} s after it was due): not sent, not charged`
            : `still queued ${message.expiry_seconds} s after it was due (message_expiry): not sent, not charged`,
      });
    return due.length;
  }

  /**
   * Scheduled messages that are due join the queue, oldest first, each with its cost held; while
   * the account is suspended, closed or cannot pay they stay scheduled (held), and go when that
   * changes (a credit wakes the dispatcher).
   */
  async promoteScheduled(accountId?: string): Promise<number> {
    const now = this.deps.clock.now();
    let promoted = 0;
    for (const account of await this.deps.store.accountsWithDueScheduled(now, accountId)) {
      promoted += await inTransaction(this.deps.db, async () => {
        let count = 0;
        const due = await this.deps.store.dueScheduledOf(account, now, ROUND_SIZE);
        for (const [index, message] of due.entries()) {
          const room = await this.deps.credit.lockRoom(account, message.subaccount_id);
          const rest = due.slice(index).map((m) => m.id);
          if (room.account.status !== 'active') {
            await this.deps.store.holdScheduled(rest, `account_${room.account.status}`);
            break;
          }
          const cost = BigInt(message.amount_micros);
          if (room.micros <= 0n || cost > room.micros) {
            // A subaccount at its spend cap holds its own message only; no credit holds the account's.
            if (room.reason === 'spend_cap_reached') {
              await this.deps.store.holdScheduled([message.id], room.reason);
              continue;
            }
            await this.deps.store.holdScheduled(rest, room.reason);
            break;
          }
          await this.deps.credit.store.addHeld(account, cost);
          await this.deps.store.update(
            message.id,
            {
              state: 'queued',
              held_micros: cost,
              held_reason: null,
              send_after: now,
              updated_at: now,
            },
            { state: 'queued', detail: 'its time came: queued to be sent', at: now },
          );
          await this.#callback(message, 'queued');
          count++;
        }
        return count;
      });
    }
    return promoted;
  }

  /** A carrier's receipt for one part: the message is delivered once every part is, undelivered when one is not. */
  async onReceipt(receipt: DeliveryReceipt): Promise<void> {
    const { messageState, errorCode } = plivoStateOf(receipt);
    await inTransaction(this.deps.db, async () => {
      const found = await this.deps.store.receipt(receipt.smscMessageId, messageState);
      // A receipt for a part not recorded yet (the carrier answered faster than the send was
      // committed) is refused, and the SMSC offers it again.
      if (!found) throw new Error(`No message part has the carrier id ${receipt.smscMessageId} (yet)`);
      const { message, partStates } = found;
      if (message.state !== 'sent') return;
      const next = partStates.includes('undelivered')
        ? 'undelivered'
        : partStates.every((state) => state === 'delivered')
          ? 'delivered'
          : null;
      if (!next) return;
      const now = this.deps.clock.now();
      await this.deps.store.update(
        message.id,
        { state: next, error_code: next === 'undelivered' ? errorCode : null, updated_at: now },
        {
          state: next,
          errorCode: next === 'undelivered' ? errorCode : null,
          detail: `the carrier reported ${receipt.state}${receipt.errorCode ? ` (network error ${receipt.errorCode})` : ''}`,
          at: now,
        },
      );
      await this.deps.store.forgetBody(message.id);
      await this.#callback(message, next);
    });
  }

  /** A handset wrote to a rented number: stored as received, charged at the inbound price, posted to the number's application. */
  async onInbound(sms: InboundSms): Promise<void> {
    const route = await this.deps.store.inboundRoute(sms.to);
    if (!route?.account_id) {
      this.deps.log.warn({ to: sms.to }, 'inbound message for a number no account rents: dropped');
      return;
    }
    const mainAccountId = route.account_id;
    const now = this.deps.clock.now();
    const id = newId();
    const segments = segmentMessage(sms.text || ' ');
    const owner = await executor(this.deps.db)
      .selectFrom('accounts')
      .select('auth_id')
      .where('id', '=', route.subaccount_id ?? mainAccountId)
      .executeTakeFirstOrThrow();
    const rated = await this.deps.usage.rateEvent(MESSAGE_API_ENGINE_ID, {
      id,
      account: owner.auth_id,
      product: 'sms',
      direction: 'inbound',
      from: sms.from.replace(/^\+/, ''),
      to: sms.to.replace(/^\+/, ''),
      quantity: segments.units,
      started_at: now.toISOString(),
    });
    const draft = 'draft' in rated ? rated.draft : null;
    await inTransaction(this.deps.db, async () => {
      await this.deps.store.insert([
        {
          id,
          account_id: mainAccountId,
          subaccount_id: route.subaccount_id,
          direction: 'inbound',
          message_type: 'sms',
          from_number: sms.from.replace(/^\+/, ''),
          to_number: sms.to.replace(/^\+/, ''),
          body: sms.text,
          log: true,
          encoding: segments.encoding,
          units: segments.units,
          currency: draft?.currency ?? route.currency,
          country_iso: draft?.countryIso ?? '',
          prefix: draft?.prefix ?? '',
          held_micros: 0n,
          rate_micros: draft?.rateMicros ?? 0n,
          amount_micros: draft?.amountMicros ?? 0n,
          state: 'received',
          error_code: null,
          held_reason: null,
          callback_url: null,
          callback_method: 'POST',
          expiry_seconds: 0,
          send_at: null,
          send_after: now,
          expires_at: now,
          requester_ip: null,
          created_at: now,
          updated_at: now,
        },
      ]);
      if (draft && draft.amountMicros > 0n)
        await this.deps.usage.chargeInTransaction(MESSAGE_API_ENGINE_ID, [draft]);
      if (route.message_url) await this.deps.jobs.enqueue(INBOUND_CALLBACK_JOB, { messageId: id });
    });
  }

  /** Renews the claims of this instance's submits that have waited long for the carrier. */
  async #renewClaims(now: Date): Promise<void> {
    for (const [id, claimedAt] of this.#submitting) {
      if (now.getTime() - claimedAt < RENEW_CLAIM_MS) continue;
      await this.deps.store.update(id, { claimed_at: now });
      // The submit may have ended meanwhile: only one still going is kept.
      if (this.#submitting.has(id)) this.#submitting.set(id, now.getTime());
    }
  }

  async #submit(message: MessageRow): Promise<void> {
    this.#submitting.set(message.id, this.deps.clock.now().getTime());
    try {
      await this.#submitClaimed(message);
    } finally {
      this.#submitting.delete(message.id);
    }
  }

  async #submitClaimed(message: MessageRow): Promise<void> {
    let carrierIds: string[];
    try {
      carrierIds = await this.deps.carrier.submit({
        from: message.from_number,
        to: message.to_number,
        parts: segmentMessage(message.body).parts,
        encoding: message.encoding,
        registeredDelivery: true,
      });
    } catch (error) {
      if (passing(error)) {
        const now = this.deps.clock.now();
        await this.deps.store.update(message.id, {
          state: 'queued',
          claimed_at: null,
          send_after: new Date(now.getTime() + RETRY_AFTER_MS),
        });
        return;
      }
      await this.#fail(message.id, ['sending'], {
        errorCode: MessageErrorCodes.unknown,
        detail: `the carrier refused it: ${(error as Error).message}`,
      });
      return;
    }
    await this.#sent(message.id, carrierIds);
  }

  /**
   * The carrier took the message: it is charged and its hold released. Submits that end within
   * RECORD_WINDOW_MS of each other, or while a recording transaction runs, are recorded together
   * (group commit): the carrier answers each submit on its own, and one transaction per message
   * would make the ledger the SMSC's bottleneck and keep the accounts' rows locked.
   */
  #sent(id: string, carrierIds: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#toRecord.push({ id, carrierIds, resolve, reject });
      if (!this.#recording) void this.#recordWaiting();
    });
  }

  async #recordWaiting(): Promise<void> {
    this.#recording = true;
    try {
      while (this.#toRecord.length > 0) {
        // The submits answered meanwhile join this group.
        if (this.#toRecord.length < ROUND_SIZE) await sleep(RECORD_WINDOW_MS);
        const group = this.#toRecord.splice(0, ROUND_SIZE);
        try {
          await this.#recordSent(group);
          for (const sent of group) sent.resolve();
        } catch {
          // One message's failure must stay its own: each is recorded alone.
          for (const sent of group) await this.#recordSent([sent]).then(sent.resolve, sent.reject);
        }
      }
    } finally {
      this.#recording = false;
    }
  }

  /** Charges the messages (the message uuid is each usage record's id), releases their holds, records their parts. */
  async #recordSent(group: readonly { id: string; carrierIds: string[] }[]): Promise<void> {
    const carrierIdsOf = new Map(group.map((sent) => [sent.id, sent.carrierIds]));
    await inTransaction(this.deps.db, async () => {
      const ids = [...carrierIdsOf.keys()];
      const accounts = new Set((await this.deps.store.byIds(ids)).map((message) => message.account_id));
      // Accounts before messages, in id order, as every other writer of both locks them.
      await this.deps.credit.store.lockAccounts([...accounts]);
      const messages = (await this.deps.store.byIds(ids, true)).filter((m) => m.state === 'sending');
      if (messages.length === 0) return;
      const now = this.deps.clock.now();
      await this.deps.usage.chargeInTransaction(MESSAGE_API_ENGINE_ID, messages.map(usageDraftOf));
      const released = new Map<string, bigint>();
      for (const message of messages)
        released.set(
          message.account_id,
          (released.get(message.account_id) ?? 0n) - BigInt(message.held_micros),
        );
      await this.deps.credit.store.addHeldTo(released);
      await this.deps.store.addParts(
        messages.map((message) => ({
          messageId: message.id,
          carrierIds: carrierIdsOf.get(message.id) ?? [],
        })),
      );
      await this.deps.store.markSent(
        messages.map((message) => ({
          id: message.id,
          detail: `handed to the carrier in ${carrierIdsOf.get(message.id)?.length ?? 0} part(s)`,
        })),
        now,
      );
      const callbacks = messages.filter((message) => message.callback_url);
      if (callbacks.length > 0)
        await this.deps.jobs.enqueueMany(
          callbacks.map((message) => ({
            name: STATUS_CALLBACK_JOB,
            payload: { messageId: message.id, status: 'sent' },
          })),
        );
    });
  }

  /** A message that will not be sent: its hold released, not charged. */
  async #fail(
    id: string,
    from: readonly string[],
    why: { errorCode: number; detail: string },
  ): Promise<void> {
    await inTransaction(this.deps.db, async () => {
      const found = await this.deps.store.byId(id);
      if (!found) return;
      await this.deps.credit.store.lockAccount(found.account_id);
      const message = (await this.deps.store.byId(id, true)) as MessageRow;
      if (!from.includes(message.state)) return;
      const now = this.deps.clock.now();
      await this.deps.credit.store.addHeld(message.account_id, -BigInt(message.held_micros));
      await this.deps.store.update(
        message.id,
        { state: 'failed', error_code: why.errorCode, held_micros: 0n, claimed_at: null, updated_at: now },
        { state: 'failed', errorCode: why.errorCode, detail: why.detail, at: now },
      );
      await this.deps.store.forgetBody(message.id);
      await this.#callback(message, 'failed');
    });
  }

  async #callback(message: MessageRow, status: string): Promise<void> {
    if (message.callback_url)
      await this.deps.jobs.enqueue(STATUS_CALLBACK_JOB, { messageId: message.id, status });
  }

  /** Each account's messages per second: staff's override of the Message rate class, else the default. */
  async #ratesOf(accountIds: string[]): Promise<Map<string, number>> {
    if (accountIds.length === 0) return new Map();
    const rows = await executor(this.deps.db)
      .selectFrom('rate_limits')
      .select(['account_id', 'requests_per_second'])
      .where('account_id', 'in', accountIds)
      .where('rate_class', '=', 'message')
      .execute();
    return new Map(rows.map((row) => [row.account_id, row.requests_per_second]));
  }
}

/** The usage record a sent message is charged as: its segments at the rate it was accepted at. */
function usageDraftOf(message: MessageRow): UsageRecordDraft {
  return {
    engineId: MESSAGE_API_ENGINE_ID,
    batchId: '',
    eventId: message.id,
    mainAccountId: message.account_id,
    subaccountId: message.subaccount_id,
    currency: message.currency,
    product: 'sms',
    direction: 'outbound',
    from: message.from_number,
    to: message.to_number,
    numberType: '',
    countryIso: message.country_iso,
    prefix: message.prefix,
    quantity: BigInt(message.units),
    billedQuantity: BigInt(message.units),
    rateMicros: BigInt(message.rate_micros),
    amountMicros: BigInt(message.amount_micros),
    startedAt: message.created_at.toISOString(),
  };
}
