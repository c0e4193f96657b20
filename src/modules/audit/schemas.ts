import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { ListQuery } from '../../http/plivo-schemas.js';

/** Who acted, as the customer's log says it: a member, API credentials, the operator's staff, or Switchboard itself. */
export const ActorKind = Type.Union([
  Type.Literal('member'),
  Type.Literal('api'),
  Type.Literal('operator_staff'),
  Type.Literal('system'),
]);
export type ActorKind = Static<typeof ActorKind>;

const filters = {
  actor: Type.Optional(
    Type.String({
      maxLength: 254,
      description:
        '"operator staff", "Switchboard", an Auth ID (changes through the API) or part of a member’s email',
    }),
  ),
  action: Type.Optional(
    Type.String({ maxLength: 80, description: 'an action, e.g. credentials.token_generated' }),
  ),
  resource: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'what the event is about: the action’s first word, e.g. credentials, team, billing',
    }),
  ),
  ip: Type.Optional(Type.String({ maxLength: 64, description: 'the source IP address, exactly' })),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: "a subaccount's Auth ID: its events only; the main Auth ID: the main account's own only",
    }),
  ),
};

/** Account > Settings > Audit Log's filters (and the export's). */
export const AuditLogQuery = Type.Object({
  ...filters,
  from: Type.Optional(Type.String({ maxLength: 40, description: 'earliest time (ISO 8601), included' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'latest time (ISO 8601), included' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  offset: Type.Integer({ minimum: 0, default: 0 }),
});
export type AuditLogQuery = Static<typeof AuditLogQuery>;

/** The export takes the page's filters; it has no pages. */
export const AuditExportQuery = Type.Omit(AuditLogQuery, ['limit', 'offset']);
export type AuditExportQuery = Static<typeof AuditExportQuery>;

const Details = Type.Record(Type.String(), Type.Unknown(), {
  description: 'what changed, as recorded with the event',
});

/** One audit event as the customer's console shows it. */
export const AuditEventView = Type.Object({
  id: Type.String(),
  at: Timestamp(),
  account: Type.String({
    description:
      'the Auth ID of the subaccount whose credentials made the change, or of the account it was recorded for',
  }),
  actorKind: ActorKind,
  actor: Type.String({ description: 'a member’s email, an Auth ID, "operator staff" or "Switchboard"' }),
  action: Type.String(),
  resource: Type.String(),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
  reason: Nullable(Type.String({ description: 'why, where the change has one (every staff action does)' })),
  details: Details,
});
export type AuditEventView = Wire<Static<typeof AuditEventView>>;

export const AuditEventPage = Type.Object({ events: Type.Array(AuditEventView), total: Type.Integer() });
export type AuditEventPage = Wire<Static<typeof AuditEventPage>>;

export const AuditCsv = Type.String({
  description: 'text/csv: one line per audit event of the filter, newest first',
});

/** The account's audit webhook: where each new event goes; the secret only in the answer that issued it. */
export const AuditWebhook = Type.Object({
  url: Nullable(Type.String()),
  updatedAt: Nullable(Timestamp()),
  secret: Type.Optional(Type.String({ description: 'the signing secret, shown this once' })),
});
export type AuditWebhook = Wire<Static<typeof AuditWebhook>>;

export const AuditWebhookUpdate = Type.Object({ url: Type.String({ maxLength: 2000 }) });
export type AuditWebhookUpdate = Static<typeof AuditWebhookUpdate>;

export const AuditWebhookSecret = Type.Object({ secret: Type.String() });
export type AuditWebhookSecret = Static<typeof AuditWebhookSecret>;

const TimeFilter = Type.String({ maxLength: 40, description: 'YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)' });

/** GET /v1/Account/{auth_id}/AuditEvent/: Plivo's paging, the filters, and created_at with Plivo's suffixes. */
export const AuditEventListQuery = Type.Composite([
  ListQuery,
  Type.Object({
    ...filters,
    created_at: Type.Optional(TimeFilter),
    created_at__gt: Type.Optional(TimeFilter),
    created_at__gte: Type.Optional(TimeFilter),
    created_at__lt: Type.Optional(TimeFilter),
    created_at__lte: Type.Optional(TimeFilter),
  }),
]);
export type AuditEventListQuery = Static<typeof AuditEventListQuery>;

/** An audit event as the API and the webhook write it (Plivo's style: snake_case, UTC times). */
export const AuditEventObject = Type.Object({
  id: Type.String(),
  created_at: Type.String({ description: 'UTC, as Plivo writes times: "2026-12-06 21:33:27+00:00"' }),
  account_id: Type.String({
    description: 'the Auth ID of the account (main or subaccount) the event is about',
  }),
  actor_type: ActorKind,
  actor: Type.String(),
  action: Type.String(),
  resource: Type.String(),
  ip: Nullable(Type.String()),
  user_agent: Nullable(Type.String()),
  reason: Nullable(Type.String()),
  details: Details,
});
export type AuditEventObject = Static<typeof AuditEventObject>;
