import { type Db, inTransaction } from '../../db/database.js';
import { plivoTime } from '../../http/plivo-list.js';
import type { Clock } from '../../lib/clock.js';
import { csvLine } from '../../lib/csv.js';
import { assertThat } from '../../lib/errors.js';
import { destinationProblem, type OutboundPolicy, postJson, urlShapeProblem } from '../../lib/outbound.js';
import type { SecretBox } from '../../lib/secrets.js';
import { newWebhookSecret, signatureHeaders } from '../../lib/webhooks.js';
import type { ApiScope } from '../accounts/scope.js';
import type { Actor, AuditLog } from './audit.js';
import { AuditErrors } from './errors.js';
import { AUDIT_RESOURCES, resourceOf } from './resources.js';
import type { ActorKind, AuditEventObject } from './schemas.js';
import {
  type AuditEventFilter,
  AuditEventStore,
  type EventCursor,
  OPERATOR_STAFF,
  SWITCHBOARD,
  type TimeBound,
} from './store.js';

/** The filters a reader gives, checked by `filter`. */
export interface AuditQuery {
  actor?: string;
  action?: string;
  resource?: string;
  ip?: string;
  subaccount?: string;
  times: TimeBound[];
}

/** An audit event as the customer reads it: staff are "operator staff", never named. */
export interface CustomerEvent {
  id: string;
  at: Date;
  account: string;
  actorKind: ActorKind;
  actor: string;
  action: string;
  resource: string;
  ip: string | null;
  userAgent: string | null;
  reason: string | null;
  details: Record<string, unknown>;
}

/** What the webhook job carries: the main account whose webhook receives the event, and the event. */
export interface AuditDelivery {
  accountId: string;
  eventId: string;
}

/** Events deleted per transaction of the retention purge. */
const PURGE_BATCH = 5000;

/** The export's columns, in order: the header line. */
export const AUDIT_CSV_HEADER = [
  'created_at',
  'account_id',
  'actor_type',
  'actor',
  'action',
  'resource',
  'ip',
  'user_agent',
  'reason',
  'details',
];

interface Deps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  audit: AuditLog;
  policy: OutboundPolicy;
  /** Events read per page of the export. */
  exportPageSize?: number;
}

type EventRow = {
  id: bigint;
  at: Date;
  action: string;
  details: unknown;
  ip: string | null;
  userAgent: string | null;
  staffId: string | null;
  apiAuthId: string | null;
  userEmail: string | null;
  authId: string;
};

/** The customer's view of a recorded event. */
export function customerEvent(row: EventRow): CustomerEvent {
  const details = (row.details ?? {}) as Record<string, unknown>;
  const staff = row.staffId !== null;
  const [actorKind, actor]: [ActorKind, string] = staff
    ? ['operator_staff', OPERATOR_STAFF]
    : row.userEmail
      ? ['member', row.userEmail]
      : row.apiAuthId
        ? [
            'api',
            typeof details.apiKeyId === 'string'
              ? `${row.apiAuthId} (API key ${details.apiKeyId})`
              : row.apiAuthId,
          ]
        : ['system', SWITCHBOARD];
  return {
    id: row.id.toString(),
    at: row.at,
    account: row.authId,
    actorKind,
    actor,
    action: row.action,
    resource: resourceOf(row.action),
    // Where the operator's staff work from is the operator's business.
    ip: staff ? null : row.ip,
    userAgent: staff ? null : row.userAgent,
    reason: typeof details.reason === 'string' ? details.reason : null,
    details,
  };
}

/** The event as the API and the webhook write it. */
export const eventObject = (event: CustomerEvent): AuditEventObject => ({
  id: event.id,
  created_at: plivoTime(event.at),
  account_id: event.account,
  actor_type: event.actorKind,
  actor: event.actor,
  action: event.action,
  resource: event.resource,
  ip: event.ip,
  user_agent: event.userAgent,
  reason: event.reason,
  details: event.details,
});

/**
 * The audit log customers read (Account > Settings > Audit Log, the export, /v1 AuditEvent) and its
 * webhook. A main account reads its own events and its subaccounts'; a subaccount's credentials
 * only its own. Staff actions read as "operator staff" with their reason; the operator's internal
 * events (resources.ts) are never shown.
 */
export class AuditEvents {
  readonly store: AuditEventStore;
  readonly #pageSize: number;

  constructor(private readonly deps: Deps) {
    this.store = new AuditEventStore(deps.db);
    this.#pageSize = deps.exportPageSize ?? 500;
  }

  /** The reader's scope and filters as the store takes them; a filter it cannot use is a 400 naming it. */
  async filter(scope: ApiScope, query: AuditQuery): Promise<AuditEventFilter> {
    const resource = query.resource?.trim();
    if (resource)
      assertThat(
        (AUDIT_RESOURCES as readonly string[]).includes(resource),
        AuditErrors.unknownResource(resource, AUDIT_RESOURCES),
      );
    const text = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);
    return {
      scope: await this.#scope(scope, text(query.subaccount)),
      actor: text(query.actor),
      action: text(query.action),
      resource,
      ip: text(query.ip),
      times: query.times,
    };
  }

  async #scope(scope: ApiScope, subaccount: string | undefined): Promise<AuditEventFilter['scope']> {
    if (scope.subaccount) {
      assertThat(
        subaccount === undefined || subaccount === scope.subaccount.authId,
        AuditErrors.unknownSubaccount(subaccount as string),
      );
      return { accountId: scope.subaccount.id, authId: scope.subaccount.authId, main: false };
    }
    if (subaccount === undefined) return { mainAccountId: scope.mainAccountId };
    const main = await this.store.mainAccount(scope.mainAccountId);
    if (main?.auth_id === subaccount) return { accountId: main.id, authId: main.auth_id, main: true };
    const sub = await this.store.subaccount(scope.mainAccountId, subaccount);
    assertThat(sub, AuditErrors.unknownSubaccount(subaccount));
    return { accountId: sub.id, authId: sub.auth_id, main: false };
  }

  /** One page of events, newest first, and how many match. */
  async page(filter: AuditEventFilter, page: { limit: number; offset: number }) {
    const [rows, total] = await Promise.all([this.store.page(filter, page), this.store.count(filter)]);
    return { events: rows.map(customerEvent), total };
  }

  /** The export: the header, then every matching event, newest first, read a page at a time. */
  async *csv(filter: AuditEventFilter): AsyncGenerator<string> {
    yield csvLine(AUDIT_CSV_HEADER);
    let after: EventCursor | null = null;
    for (;;) {
      const rows = await this.store.page(filter, { limit: this.#pageSize, after });
      if (rows.length === 0) return;
      yield rows
        .map(customerEvent)
        .map((event) =>
          csvLine([
            event.at.toISOString(),
            event.account,
            event.actorKind,
            event.actor,
            event.action,
            event.resource,
            event.ip ?? '',
            event.userAgent ?? '',
            event.reason ?? '',
            JSON.stringify(event.details),
          ]),
        )
        .join('');
      if (rows.length < this.#pageSize) return;
      const last = rows[rows.length - 1] as EventRow;
      after = { at: last.at, id: last.id };
    }
  }

  async #mainAccount(accountId: string) {
    const main = await this.store.mainAccount(accountId);
    assertThat(main, AuditErrors.mainAccountOnly());
    return main;
  }

  /** Where the account's events are POSTed, if anywhere (the secret is never shown again). */
  async webhook(accountId: string) {
    await this.#mainAccount(accountId);
    const webhook = await this.store.webhook(accountId);
    return { url: webhook?.url ?? null, updatedAt: webhook?.updated_at ?? null };
  }

  /**
   * Sets the URL each new audit event is POSTed to, signed (audited). A first webhook gets its
   * signing secret, answered here this once; changing the URL keeps the secret.
   */
  async setWebhook(actor: Actor, accountId: string, input: string) {
    await this.#mainAccount(accountId);
    const url = input.trim();
    const shape = url === '' ? 'is required' : urlShapeProblem(url);
    assertThat(shape === null, () => AuditErrors.invalidWebhookUrl(shape as string));
    const destination = await destinationProblem(url, this.deps.policy);
    assertThat(destination === null, () => AuditErrors.invalidWebhookUrl(destination as string));
    let secret: string | undefined;
    await inTransaction(this.deps.db, async () => {
      const before = await this.store.webhook(accountId);
      if (!before) secret = newWebhookSecret();
      await this.store.saveWebhook(
        accountId,
        url,
        secret ? this.deps.secrets.encrypt(secret) : null,
        this.deps.clock.now(),
      );
      await this.deps.audit.record(actor, {
        action: 'audit.webhook_set',
        accountId,
        details: { url, ...(secret ? { secret: 'issued' } : {}) },
      });
    });
    return { ...(await this.webhook(accountId)), secret };
  }

  /** Stops the webhook (audited); events already queued for it are dropped when their turn comes. */
  async removeWebhook(actor: Actor, accountId: string): Promise<void> {
    await this.#mainAccount(accountId);
    await inTransaction(this.deps.db, async () => {
      if (await this.store.removeWebhook(accountId))
        await this.deps.audit.record(actor, { action: 'audit.webhook_removed', accountId });
    });
  }

  /** A new signing secret (the old one stops signing at once), answered this once; audited. */
  async rotateSecret(actor: Actor, accountId: string): Promise<string> {
    await this.#mainAccount(accountId);
    const secret = newWebhookSecret();
    await inTransaction(this.deps.db, async () => {
      const webhook = await this.store.webhook(accountId);
      assertThat(webhook, AuditErrors.noWebhook());
      await this.store.saveWebhook(
        accountId,
        webhook.url,
        this.deps.secrets.encrypt(secret),
        this.deps.clock.now(),
      );
      await this.deps.audit.record(actor, { action: 'audit.webhook_secret_rotated', accountId });
    });
    return secret;
  }

  /**
   * Retention (AUDIT_RETENTION_DAYS): deletes events older than `days`, a batch per transaction,
   * except a closed account's, which stay whole until its purge (FINANCIAL_RETENTION_YEARS).
   * Answers how many went.
   */
  async purgeExpired(days: number): Promise<number> {
    const before = new Date(this.deps.clock.now().getTime() - days * 86_400_000);
    let purged = 0;
    for (;;) {
      const batch = await inTransaction(this.deps.db, () => this.store.purgeOlderThan(before, PURGE_BATCH));
      purged += batch;
      if (batch < PURGE_BATCH) return purged;
    }
  }

  /**
   * The webhook job: POSTs the event, signed now, to the account's webhook; a refusal or a status
   * outside 2xx throws (retried). The body is the same every attempt (the event never changes), and
   * its `id` lets a receiver drop a repeat.
   */
  async deliver(delivery: AuditDelivery): Promise<void> {
    const [webhook, main, row] = await Promise.all([
      this.store.webhook(delivery.accountId),
      this.store.mainAccount(delivery.accountId),
      this.store.one(delivery.accountId, BigInt(delivery.eventId)),
    ]);
    // Removed since (or the event purged): there is nothing to deliver any more.
    if (!webhook || !main || !row) return;
    const body = JSON.stringify({
      id: row.id.toString(),
      type: 'audit.event',
      account_id: main.auth_id,
      event: eventObject(customerEvent(row)),
    });
    const status = await postJson(
      webhook.url,
      body,
      {
        ...signatureHeaders(this.deps.secrets.decrypt(webhook.secret_encrypted), this.deps.clock.now(), body),
        'x-switchboard-delivery': `audit-event-${row.id}`,
      },
      this.deps.policy,
    );
    if (status < 200 || status >= 300) throw new Error(`The webhook receiver answered HTTP ${status}`);
  }
}
