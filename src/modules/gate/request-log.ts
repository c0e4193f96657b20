import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import { type Db, executor } from '../../db/database.js';
import type { ApiKeyStore } from '../credentials/api-key-store.js';
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
  /** The restricted API key's row id, when the request came with a key. */
  keyId: string | null;
}

/** The api_id layout (RFC 9562 version 8): 24 characters fixed for the process, then 12 hex digits of a counter. */
const API_ID_PREFIX_LENGTH = 24;
const COUNTER_LIMIT = 2 ** 48;

function apiIdPrefix(): string {
  const hex = randomBytes(10).toString('hex');
  const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-`;
}

/**
 * One account's requests since the last flush whose api_ids share a prefix, in their stored form
 * (migration 0010): each request a JSON array of numbers, its method and path and its address
 * given as positions in the batch's own lists. The requests are kept as bytes outside the
 * JavaScript heap: a second's worth of requests kept as strings cost the collector more than
 * writing them, and what the database stores a request is what a flush costs (bench/gate).
 */
class PendingBatch {
  #bytes = Buffer.allocUnsafe(4096);
  // Byte 0 holds the array's opening bracket.
  #length = 1;
  readonly #pathPositions = new Map<string, number>();
  readonly paths: [string, string][] = [];
  readonly #ipPositions = new Map<string, number>();
  readonly ips: string[] = [];
  count = 0;
  lastAtMs: number;

  constructor(
    readonly accountId: string,
    readonly apiIdPrefix: string,
    readonly firstAtMs: number,
  ) {
    this.#bytes[0] = 0x5b;
    this.lastAtMs = firstAtMs;
  }

  add(counter: number, entry: ApiRequestRecord, atMs: number) {
    const path = entry.path.slice(0, 500);
    const pathKey = `${entry.method} ${path}`;
    let pathPosition = this.#pathPositions.get(pathKey);
    if (pathPosition === undefined) {
      pathPosition = this.paths.push([entry.method, path]) - 1;
      this.#pathPositions.set(pathKey, pathPosition);
    }
    let ipPosition = this.#ipPositions.get(entry.ip);
    if (ipPosition === undefined) {
      ipPosition = this.ips.push(entry.ip) - 1;
      this.#ipPositions.set(entry.ip, ipPosition);
    }
    const stored = `${this.count > 0 ? ',' : ''}[${counter},${pathPosition},${entry.status},${ipPosition},${entry.durationMs},${atMs - this.firstAtMs}]`;
    this.#reserve(stored.length);
    this.#length += this.#bytes.write(stored, this.#length, 'latin1');
    this.count++;
    // A request answered later may carry an earlier time (the wall clock stepped back): last_at bounds them all.
    this.lastAtMs = Math.max(this.lastAtMs, atMs);
  }

  /** The requests as the JSON array the requests column holds, as UTF-8 (digits and punctuation only). */
  requests(): Buffer {
    this.#reserve(1);
    this.#bytes[this.#length] = 0x5d;
    return this.#bytes.subarray(0, this.#length + 1);
  }

  #reserve(bytes: number) {
    const needed = this.#length + bytes + 1;
    if (needed <= this.#bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, this.#bytes.length * 2));
    this.#bytes.copy(grown, 0, 0, this.#length);
    this.#bytes = grown;
  }
}

/** A failed authentication's count so far, for one Auth ID and address. */
interface PendingFailures {
  authId: string;
  ip: string;
  count: number;
  firstAtMs: number;
  lastAtMs: number;
}

/** Only what looks like an Auth ID is kept: anything else can name no account. */
const AUTH_ID = /^[MS]A[A-Z0-9]{18}$/;
/**
 * Distinct Auth ID and address pairs kept between flushes: a guesser rotating addresses may not grow
 * the process without bound. Past it, failures are not kept (the per-address throttle still counts them).
 */
const MAX_FAILURE_KEYS = 10_000;

const MAX_BUFFER = 50_000;
/** Eight parameters a row, well under PostgreSQL's 65,535 a statement. */
const ROWS_PER_STATEMENT = 1000;

/**
 * The /v1 request log and tokens' last-use times, written in batches off the request path: a
 * request becomes a few bytes in its account's batch, and once a second (a job of each instance,
 * request-log.jobs.ts) each account's batch becomes one row (migration 0010 has its layout).
 */
export class RequestLog {
  #batches = new Map<string, PendingBatch>();
  #lastUse = new Map<string, Date>();
  #keyLastUse = new Map<string, Date>();
  #failures = new Map<string, PendingFailures>();
  #buffered = 0;
  #flushing: Promise<void> = Promise.resolve();
  #apiIdPrefix = apiIdPrefix();
  #apiIdCounter = 0;

  constructor(
    private readonly db: Db,
    private readonly credentials: Pick<CredentialStore, 'touch'>,
    private readonly keys: Pick<ApiKeyStore, 'touch'>,
    private readonly log: Logger,
    /** Told, once a flush, which accounts used the API and when last (the inactive account policy). */
    private readonly onActivity?: (accountIds: string[], lastAt: Date) => Promise<void>,
  ) {}

  /**
   * A new api_id: a UUID unique to this request, whose last 12 hex digits count the process's
   * requests, so the log stores a number where a random UUID would cost 36 bytes.
   */
  nextApiId(): string {
    if (this.#apiIdCounter >= COUNTER_LIMIT) {
      this.#apiIdPrefix = apiIdPrefix();
      this.#apiIdCounter = 0;
    }
    return this.#apiIdPrefix + (this.#apiIdCounter++).toString(16).padStart(12, '0');
  }

  /** Adds a request to its account's batch; any UUID is taken as an api_id. */
  record(entry: ApiRequestRecord) {
    const prefix = entry.apiId.slice(0, API_ID_PREFIX_LENGTH);
    const counter = Number.parseInt(entry.apiId.slice(API_ID_PREFIX_LENGTH), 16);
    const atMs = entry.at.getTime();
    // Batches of the current prefix are found by account; one of another prefix (an api_id made
    // before the prefix changed) has its own.
    const key = prefix === this.#apiIdPrefix ? entry.accountId : `${entry.accountId} ${prefix}`;
    let batch = this.#batches.get(key);
    if (!batch) {
      batch = new PendingBatch(entry.accountId, prefix, atMs);
      this.#batches.set(key, batch);
    }
    batch.add(counter, entry, atMs);
    if (entry.tokenId) this.#lastUse.set(entry.tokenId, entry.at);
    if (entry.keyId) this.#keyLastUse.set(entry.keyId, entry.at);
    if (++this.#buffered >= MAX_BUFFER) void this.flush();
  }

  /**
   * Counts a failed authentication against an Auth ID from an address (Logs > API shows them to the
   * account's Owner and Admin). Never given the submitted token.
   */
  recordFailedAuthentication(authId: string, ip: string, at: Date) {
    if (!AUTH_ID.test(authId)) return;
    const key = `${authId} ${ip}`;
    const atMs = at.getTime();
    const pending = this.#failures.get(key);
    if (pending) {
      pending.count++;
      pending.firstAtMs = Math.min(pending.firstAtMs, atMs);
      pending.lastAtMs = Math.max(pending.lastAtMs, atMs);
    } else if (this.#failures.size < MAX_FAILURE_KEYS) {
      this.#failures.set(key, { authId, ip, count: 1, firstAtMs: atMs, lastAtMs: atMs });
    }
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

  /** A closing account's API logs, its subaccounts' included, are deleted; answers how many batches went. */
  async forgetAccount(accountId: string): Promise<number> {
    const accounts = executor(this.db)
      .selectFrom('accounts')
      .select('id')
      .where((eb) => eb.or([eb('id', '=', accountId), eb('parent_account_id', '=', accountId)]));
    const batches = await executor(this.db)
      .deleteFrom('api_request_batches')
      .where('account_id', 'in', accounts)
      .executeTakeFirst();
    await executor(this.db).deleteFrom('api_auth_failures').where('account_id', 'in', accounts).execute();
    return Number(batches.numDeletedRows);
  }

  /** Deletes what is older than the retention (by the database's clock): request batches and failed-authentication counts. */
  async purge(retentionDays: number) {
    const before = sql<Date>`now() - make_interval(days => ${retentionDays})`;
    await this.db.deleteFrom('api_request_batches').where('last_at', '<', before).execute();
    await this.db.deleteFrom('api_auth_failures').where('last_at', '<', before).execute();
  }

  private async write() {
    const batches = this.#batches;
    const lastUse = this.#lastUse;
    const keyLastUse = this.#keyLastUse;
    const failures = this.#failures;
    this.#batches = new Map();
    this.#lastUse = new Map();
    this.#keyLastUse = new Map();
    this.#failures = new Map();
    this.#buffered = 0;
    const rows = [...batches.values()].map((batch) => ({
      account_id: batch.accountId,
      first_at: new Date(batch.firstAtMs),
      last_at: new Date(batch.lastAtMs),
      request_count: batch.count,
      api_id_prefix: batch.apiIdPrefix,
      paths: JSON.stringify(batch.paths),
      ips: JSON.stringify(batch.ips),
      requests: batch.requests(),
    }));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      await this.db
        .insertInto('api_request_batches')
        .values(rows.slice(i, i + ROWS_PER_STATEMENT))
        .execute();
    }
    await this.credentials.touch(lastUse);
    await this.keys.touch(keyLastUse);
    if (this.onActivity && batches.size > 0) {
      const accountIds = [...new Set([...batches.values()].map((b) => b.accountId))];
      const lastAtMs = Math.max(...[...batches.values()].map((b) => b.lastAtMs));
      await this.onActivity(accountIds, new Date(lastAtMs));
    }
    if (failures.size > 0) await this.writeFailures([...failures.values()]);
  }

  /** Adds the failures to their account's row of the hour (Auth IDs of no account are dropped here). */
  private async writeFailures(failures: PendingFailures[]) {
    for (let i = 0; i < failures.length; i += ROWS_PER_STATEMENT) {
      const rows = failures
        .slice(i, i + ROWS_PER_STATEMENT)
        .map(
          (failure) =>
            sql`(${failure.authId}, ${failure.ip}, ${new Date(failure.firstAtMs)}::timestamptz, ${new Date(failure.lastAtMs)}::timestamptz, ${failure.count}::int)`,
        );
      await sql`
        INSERT INTO api_auth_failures (account_id, ip, hour, first_at, last_at, count)
        SELECT a.id, f.ip, date_trunc('hour', f.first_at, 'UTC'), f.first_at, f.last_at, f.count
        FROM (VALUES ${sql.join(rows)}) AS f(auth_id, ip, first_at, last_at, count)
        JOIN accounts a ON a.auth_id = f.auth_id
        ON CONFLICT (account_id, ip, hour) DO UPDATE SET
          count = api_auth_failures.count + excluded.count,
          first_at = least(api_auth_failures.first_at, excluded.first_at),
          last_at = greatest(api_auth_failures.last_at, excluded.last_at)`.execute(this.db);
    }
  }
}
