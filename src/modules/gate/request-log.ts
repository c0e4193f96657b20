import { sql } from 'kysely';
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

/**
 * The /v1 request log and tokens' last-use times, written in batches off the request path: a
 * request costs an array push, and one statement per second records them all.
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
      // One parameter for the whole batch: thousands of rows a second stay one cheap statement.
      const rows = JSON.stringify(
        batch.map((r) => [
          r.accountId,
          r.apiId,
          r.method,
          r.path.slice(0, 500),
          r.status,
          r.ip,
          r.durationMs,
          r.at.toISOString(),
        ]),
      );
      await sql`
        INSERT INTO api_requests (account_id, api_id, method, path, status, ip, duration_ms, created_at)
        SELECT (r->>0)::uuid, (r->>1)::uuid, r->>2, r->>3, (r->>4)::int, r->>5, (r->>6)::int, (r->>7)::timestamptz
        FROM jsonb_array_elements(${rows}::jsonb) AS r`.execute(this.db);
      const lastUse = new Map<string, Date>();
      for (const r of batch) if (r.tokenId) lastUse.set(r.tokenId, r.at);
      await this.credentials.touch(lastUse);
    }
    const now = Date.now();
    if (now - this.#lastPurge > 3_600_000) {
      this.#lastPurge = now;
      await this.db
        .deleteFrom('api_requests')
        .where('created_at', '<', new Date(now - this.retentionDays * 86_400_000))
        .execute();
    }
  }
}
