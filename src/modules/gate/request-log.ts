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

const FLUSH_EVERY_MS = 1000;
const MAX_BUFFER = 50_000;
/** Five parameters a row, well under PostgreSQL's 65,535 a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The /v1 request log and tokens' last-use times, written in batches off the request path: a
 * request costs an array push, and once a second each account's requests become one row.
 */
export class RequestLog {
  #buffer: ApiRequestRecord[] = [];
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
    this.#buffer.push(entry);
    if (this.#buffer.length >= MAX_BUFFER) void this.flush();
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
    const batch = this.#buffer;
    this.#buffer = [];
    if (batch.length > 0) {
      await this.writeBatches(batch);
      const lastUse = new Map<string, Date>();
      for (const r of batch) if (r.tokenId) lastUse.set(r.tokenId, r.at);
      await this.credentials.touch(lastUse);
    }
    const now = Date.now();
    if (now - this.#lastPurge > 3_600_000) {
      this.#lastPurge = now;
      await this.db
        .deleteFrom('api_request_batches')
        .where('last_at', '<', new Date(now - this.retentionDays * 86_400_000))
        .execute();
    }
  }

  /** One row per account: its requests of this flush as one JSON array, in arrival order. */
  private async writeBatches(batch: ApiRequestRecord[]) {
    const byAccount = new Map<string, ApiRequestRecord[]>();
    for (const r of batch) {
      const requests = byAccount.get(r.accountId);
      if (requests) requests.push(r);
      else byAccount.set(r.accountId, [r]);
    }
    const rows = [...byAccount].map(([accountId, requests]) => ({
      account_id: accountId,
      first_at: (requests[0] as ApiRequestRecord).at,
      last_at: (requests[requests.length - 1] as ApiRequestRecord).at,
      request_count: requests.length,
      requests: JSON.stringify(
        requests.map((r) => [
          r.apiId,
          r.method,
          r.path.slice(0, 500),
          r.status,
          r.ip,
          r.durationMs,
          r.at.getTime(),
        ]),
      ),
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await this.db
        .insertInto('api_request_batches')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .execute();
    }
  }
}
