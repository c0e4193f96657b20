import { createHmac } from 'node:crypto';
import { randomToken } from './secrets.js';

/**
 * Webhooks Switchboard signs (balance alerts to customers, disconnects to engines): the signing
 * time in Unix seconds and the signature, "v1=" + hex HMAC-SHA256 of `${timestamp}.${body}` under
 * the receiver's secret. A receiver recomputes it over the raw body and refuses a timestamp older
 * than five minutes (a replay).
 */
export const TIMESTAMP_HEADER = 'x-switchboard-timestamp';
export const SIGNATURE_HEADER = 'x-switchboard-signature';

/** The signature of a webhook body at a time: hex HMAC-SHA256 of `${timestamp}.${body}` under the secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The two headers that sign a body now. */
export function signatureHeaders(secret: string, now: Date, body: string): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${signWebhook(secret, timestamp, body)}` };
}

/** A webhook signing secret: 256 random bits, prefixed so people recognise it. */
export const newWebhookSecret = () => `whsec_${randomToken(32)}`;
