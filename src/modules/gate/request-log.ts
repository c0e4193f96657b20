import type { Logger } from 'pino';
import type { Db } from '../../db/database.js';
import type { CredentialStore } from '../credentials/store.js';

export interface ApiRequestRecord {
  accountId: string;
  apiId: string;
  method: string;
  path: string;
  status: number;
  ip: string;
  durationMs: number;
  at: Date;
  tokenId: string | null;
}

/** One account's requests since the last flush, each already in its stored JSON form. */
interface PendingBatch {
  firstAt: Date;
  lastAt: Date;
  requests: string[];
}

const FLUSH_EVERY_MS = 1000;
const MAX_BUFFER = 50_000;
/** Five parameters a row, well under PostgreSQL's 65,535 a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The /v1 request log and tokens' last-use times, written in batches off the request path: a
 * request becomes one short JSON string in its account's batch, and once a second each account's
 * batch becomes one row (migration 0009 has its layout).
 */
export class RequestLog {
  #batches = new Map<string, PendingBatch>();
  #lastUse = new Map<string, Date>();
  #buffered = 0;
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();
  #lastPurge = 0;

  constructor(
    private readonly db: Db,
    private readonly credentials: CredentialStore,
    private readonly log: Logger,
    private readonly retentionDays: number,
  ) {}

  start() {
    this.#timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
    this.#timer.unref();
  }

  record(entry: ApiRequestRecord) {
    // A short string per request instead of an object graph: what waits for the flush is cheap to keep.
    const stored = JSON.stringify([
      entry.apiId,
      entry.method,
      entry.path.slice(0, 500),
      entry.status,
      entry.ip,
      entry.durationMs,
      entry.at.getTime(),
    ]);
    const batch = this.#batches.get(entry.accountId);
    if (batch) {
      batch.requests.push(stored);
      batch.lastAt = entry.at;
    } else {
      this.#batches.set(entry.accountId, { firstAt: entry.at, lastAt: entry.at, requests: [stored] });
    }
    if (entry.tokenId) this.#lastUse.set(entry.tokenId, entry.at);
    if (++this.#buffered >= MAX_BUFFER) void this.flush();
  }

  /** Writes what is buffered; waits for a flush already under way. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing
      .then(() => this.write())
      .catch((error: unknown) => {
        this.log.error({ err: error }, 'writing the API request log failed');
      });
    return this.#flushing;
  }

  async stop() {
    clearInterval(this.#timer);
    await this.flush();
  }

  private async write() {
    const batches = this.#batches;
    const lastUse = this.#lastUse;
    this.#batches = new Map();
    this.#lastUse = new Map();
    this.#buffered = 0;
    const rows = [...batches].map(([accountId, batch]) => ({
      account_id: accountId,
      first_at: batch.firstAt,
      last_at: batch.lastAt,
      request_count: batch.requests.length,
      requests: `[${batch.requests.join(',')}]`,
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await this.db
        .insertInto('api_request_batches')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .execute();
    }
    await this.credentials.touch(lastUse);
    const now = Date.now();
    if (now - this.#lastPurge > 3_600_000) {
      this.#lastPurge = now;
      await this.db
        .deleteFrom('api_request_batches')
        .where('last_at', '<', new Date(now - this.retentionDays * 86_400_000))
        .execute();
    }
  }
}
