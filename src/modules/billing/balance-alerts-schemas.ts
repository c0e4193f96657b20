import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';

/**
 * Balance alerts' request and answer schemas (Billing > Payment Settings). Imports only TypeBox:
 * the console imports the types.
 */

const Amount = Type.String({ maxLength: 20, description: 'an amount with 5 decimals, such as "100.00000"' });

/** GET and PUT /api/billing/alerts: the account's alert settings. */
export const AlertSettings = Type.Object({
  currency: Type.String(),
  defaultThresholds: Type.Array(Amount, {
    description: "the operator's thresholds every account has (BALANCE_ALERT_THRESHOLDS)",
  }),
  customThresholds: Type.Array(Amount, { description: "up to 3 of the account's own, highest first" }),
  emails: Type.Array(Type.String(), { description: 'up to 5 more addresses alerts go to' }),
  webhookUrl: Nullable(Type.String()),
  webhookSecretSet: Type.Boolean({ description: 'a signing secret exists (it is shown only when issued)' }),
  suggestedThreshold: Nullable(
    Type.String({ description: 'the average daily usage of the last 30 days, rounded up to a cent' }),
  ),
  webhookSecret: Type.Optional(
    Type.String({
      description: 'the webhook signing secret, only in the answer that issued it: shown this once',
    }),
  ),
});
export type AlertSettings = Static<typeof AlertSettings>;

/** PUT /api/billing/alerts: the whole settings (what is left out is cleared). */
export const AlertSettingsUpdate = Type.Object({
  customThresholds: Type.Array(
    Type.String({ maxLength: 20, description: 'an amount in the account currency, such as 50 or 12.50' }),
    { maxItems: 20, description: 'at most 3' },
  ),
  emails: Type.Array(Type.String({ maxLength: 254 }), { maxItems: 20, description: 'at most 5' }),
  webhookUrl: Nullable(
    Type.String({ maxLength: 2000, description: 'http(s) URL alerts are POSTed to; null or "" for none' }),
  ),
});
export type AlertSettingsUpdate = Static<typeof AlertSettingsUpdate>;

/** POST /api/billing/alerts/webhook-secret: the new secret, shown this once. */
export const WebhookSecret = Type.Object({ webhookSecret: Type.String() });
export type WebhookSecret = Static<typeof WebhookSecret>;
