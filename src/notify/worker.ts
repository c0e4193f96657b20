import { AsyncResource } from 'node:async_hooks';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../db/database.js';
import type { SecretBox } from '../lib/secrets.js';
import type { Deliver } from './drivers.js';

const MAX_ATTEMPTS = 8;
const BATCH = 20;

/**
 * Delivers outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED, so any number of instances
 * may run a worker; a row is marked sent in the transaction that claimed it.
 */
export class OutboxWorker {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #stopped = false;
  #started = false;
  /** When the worker last finished a batch or a round (ms since the epoch): its heartbeat for /readyz. */
  #lastBeat = 0;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly drivers: Record<'email' | 'sms' | 'voice', Deliver>,
    private readonly log: Logger,
    private readonly retentionDays: number,
  ) {}

  start(intervalMs = 1000): void {
    this.#started = true;
    this.#lastBeat = Date.now();
    this.#timer = setInterval(() => this.nudge(), intervalMs);
    this.#timer.unref();
    this.nudge();
  }

  /**
   * Asks for a delivery round soon (after a message is enqueued). Bound to the worker's own async
   * context: a nudge from inside a request's transaction must not run the round inside it.
   */
  readonly nudge = AsyncResource.bind((): void => {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.drain()
      .catch((error: unknown) => this.log.error({ err: error }, 'outbox delivery round failed'))
      .finally(() => {
        this.#lastBeat = Date.now();
        this.#running = undefined;
        if (this.#again) {
          this.#again = false;
          setImmediate(() => this.nudge());
        }
      });
  });

  /**
   * Whether the worker runs: started, not stopped, and a batch or round finished within the last
   * minute (a round runs every second; a round stuck on a delivery for longer is not alive).
   */
  alive(now = Date.now()): boolean {
    return this.#started && !this.#stopped && now - this.#lastBeat < 60_000;
  }

  /** What waits in the outbox: undelivered messages, the oldest one's age, and those given up on. */
  async backlog(): Promise<{ pending: number; oldestPendingSeconds: number; failed: number }> {
    const row = await this.db
      .selectFrom('outbox_messages')
      .select([
        sql<string>`count(*) filter (where status = 'pending')`.as('pending'),
        sql<string>`count(*) filter (where status = 'failed')`.as('failed'),
        sql<string | null>`extract(epoch from now() - min(created_at) filter (where status = 'pending'))`.as(
          'oldest',
        ),
      ])
      .executeTakeFirstOrThrow();
    return {
      pending: Number(row.pending),
      failed: Number(row.failed),
      oldestPendingSeconds: row.oldest === null ? 0 : Number(row.oldest),
    };
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One round: deliver what is due, then purge delivered rows past their retention. */
  async drain(): Promise<void> {
    while ((await this.deliverBatch()) === BATCH) {
      this.#lastBeat = Date.now();
    }
    await this.db.deleteFrom('outbox_messages').where('purge_after', '<', sql<Date>`now()`).execute();
  }

  /**
   * Claims due rows by leasing them for two minutes in one short statement, delivers them with no
   * transaction open (no lock is held across network I/O), then records each outcome.
   */
  private async deliverBatch(): Promise<number> {
    const claimed = await this.db
      .updateTable('outbox_messages')
      .set({ next_attempt_at: sql<Date>`now() + interval '2 minutes'`, attempts: sql<number>`attempts + 1` })
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('outbox_messages')
          .select('id')
          .where('status', '=', 'pending')
          .where('next_attempt_at', '<=', sql<Date>`now()`)
          .orderBy('id')
          .limit(BATCH)
          .forUpdate()
          .skipLocked(),
      )
      .returningAll()
      .execute();
    for (const row of claimed) {
      const message = {
        channel: row.channel,
        to: row.recipient,
        subject: row.subject,
        text: this.secrets.decrypt(row.body_encrypted),
      };
      try {
        await this.drivers[row.channel](message);
        await this.db
          .updateTable('outbox_messages')
          .set({
            status: 'sent',
            sent_at: sql<Date>`now()`,
            purge_after: sql<Date>`now() + make_interval(days => ${this.retentionDays})`,
          })
          .where('id', '=', row.id)
          .execute();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.log.warn(
          { messageId: String(row.id), channel: row.channel, attempts: row.attempts, reason },
          'message delivery failed',
        );
        await this.db
          .updateTable('outbox_messages')
          .set({
            last_error: reason.slice(0, 500),
            status: row.attempts >= MAX_ATTEMPTS ? 'failed' : 'pending',
            next_attempt_at: sql<Date>`now() + make_interval(secs => ${2 ** row.attempts * 5})`,
          })
          .where('id', '=', row.id)
          .execute();
      }
    }
    return claimed.length;
  }
}
