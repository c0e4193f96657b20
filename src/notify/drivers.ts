import { createHmac } from 'node:crypto';
import type { Transporter } from 'nodemailer';
import type { Config } from '../config.js';
import type { OutgoingMessage } from './outbox.js';
import { smppDriver } from './smpp-driver.js';

/** Delivers one message or throws; the worker retries what throws. */
export type Deliver = (message: OutgoingMessage) => Promise<void>;

/** Messages with no driver configured stay in the development outbox: nothing leaves the machine. */
const keepInOutbox: Deliver = async () => {};

export function emailDriver(config: Config): Deliver {
  const { smtpUrl } = config;
  if (!smtpUrl) return keepInOutbox;
  // nodemailer loads with the first email sent, not at start.
  let transport: Transporter | undefined;
  return async (message) => {
    transport ??= (await import('nodemailer')).default.createTransport(smtpUrl);
    await transport.sendMail({
      from: config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
    });
  };
}

/**
 * The operator's SMS/voice gateway receives a signed JSON POST and sends the text or speaks it.
 * The signature is HMAC-SHA256 of the raw body with OTP_WEBHOOK_SECRET, hex, in X-Switchboard-Signature.
 */
export function webhookDriver(url: string, secret: string): Deliver {
  return async (message) => {
    const body = JSON.stringify({ channel: message.channel, to: message.to, text: message.text });
    const signature = createHmac('sha256', secret).update(body).digest('hex');
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-switchboard-signature': signature },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`gateway answered HTTP ${response.status}`);
  };
}

export function driversFor(config: Config): Record<OutgoingMessage['channel'], Deliver> {
  const phone = (driver: 'outbox' | 'webhook' | 'smpp') => {
    if (driver === 'smpp' && config.smppUrl) return smppDriver(config.smppUrl, config.smppSourceAddress);
    if (driver === 'webhook' && config.otpWebhookUrl && config.otpWebhookSecret) {
      return webhookDriver(config.otpWebhookUrl, config.otpWebhookSecret);
    }
    return keepInOutbox;
  };
  return { email: emailDriver(config), sms: phone(config.smsDriver), voice: phone(config.voiceDriver) };
}
