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

/**
 * One account's requests since the last flush, in their stored JSON form, comma-separated, as
 * UTF-8 outside the JavaScript heap: a second's worth of requests kept as strings cost the
 * collector more than writing them (measured in bench/gate).
 */
class PendingBatch {
  #bytes = Buffer.allocUnsafe(4096);
  #length = 0;
  count = 0;
  lastAt: Date;

  constructor(readonly firstAt: Date) {
    this.lastAt = firstAt;
  }

  add(stored: string, at: Date) {
    // A UTF-16 unit takes at most 3 bytes in UTF-8: room enough without measuring the string first.
    const needed = this.#length + 1 + stored.length * 3;
    if (needed > this.#bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
      this.#bytes.copy(grown, 0, 0, this.#length);
      this.#bytes = grown;
    }
    if (this.count > 0) this.#bytes[this.#length++] = 0x2c;
    this.#length += this.#bytes.write(stored, this.#length);
    this.count++;
    this.lastAt = at;
  }

  /** The batch as the JSON array the requests column holds, as UTF-8. */
  json(): Buffer {
    const array = Buffer.allocUnsafe(this.#length + 2);
    array[0] = 0x5b;
    this.#bytes.copy(array, 1, 0, this.#length);
    array[this.#length + 1] = 0x5d;
    return array;
  }
}

const FLUSH_EVERY_MS = 1000;
const MAX_BUFFER = 50_000;
/** Five parameters a row, well under PostgreSQL's 65,535 a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The /v1 request log and tokens' last-use times, written in batches off the request path: a
 * request becomes a few bytes in its account's batch, and once a second each account's batch
 * becomes one row (migration 0009 has its layout).
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
    const stored = JSON.stringify([
      entry.apiId,
      entry.method,
      entry.path.slice(0, 500),
      entry.status,
      entry.ip,
      entry.durationMs,
      entry.at.getTime(),
    ]);
    let batch = this.#batches.get(entry.accountId);
    if (!batch) {
      batch = new PendingBatch(entry.at);
      this.#batches.set(entry.accountId, batch);
    }
    batch.add(stored, entry.at);
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
      request_count: batch.count,
      requests: batch.json(),
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
