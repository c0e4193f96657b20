import { randomUUID } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import type { Role } from '../../db/schema.js';
import type { EventPayload } from '../../events/catalog.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { displayMoney, formatMoney, money, parseMoney } from '../../lib/money.js';
import { destinationProblem, type OutboundPolicy, postJson, urlShapeProblem } from '../../lib/outbound.js';
import type { SecretBox } from '../../lib/secrets.js';
import { newWebhookSecret, signatureHeaders } from '../../lib/webhooks.js';
import { messages } from '../../notify/messages.js';
import type { OutgoingMessage } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { type AlertCandidate, BalanceAlertStore, type Fall } from './balance-alerts.store.js';
import { BalanceAlertErrors } from './errors.js';
import { localDay } from './usage-summary.js';

/** Who receives balance alerts: the billing members (ANSWERS.md "Roles for money"), besides the extra addresses. */
export const ALERT_ROLES: readonly Role[] = ['owner', 'admin', 'financial_analyst'];
export const MAX_CUSTOM_THRESHOLDS = 3;
export const MAX_ALERT_EMAILS = 5;
/** The days the suggested threshold averages usage over (the FAQ: the average daily usage). */
export const SUGGESTION_DAYS = 30;
/** The job that POSTs an alert to the account's webhook. */
export const ALERT_WEBHOOK_JOB = 'billing.balance-alert-webhook';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CENT = 10_000n;

/** The threshold `t` is crossed by a fall from `before` to `after` when before >= t > after. */
export const crosses = (threshold: bigint, before: bigint, after: bigint) =>
  before >= threshold && after < threshold;

/** What the webhook job delivers: the alert's body, fixed when the alert was decided. */
export interface WebhookDelivery {
  accountId: string;
  deliveryId: string;
  body: string;
}

/** What a caller asks to save: strings as they arrive; the service checks them. */
export interface AlertSettingsInput {
  customThresholds: string[];
  emails: string[];
  webhookUrl: string | null;
}

export interface AlertSettingsView {
  currency: string;
  defaultThresholdsMicros: bigint[];
  customThresholdsMicros: bigint[];
  emails: string[];
  webhookUrl: string | null;
  webhookSecretSet: boolean;
  /** The average daily usage of the last 30 days, rounded up to a cent; null without usage. */
  suggestedThresholdMicros: bigint | null;
}

interface Deps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  outbox: { enqueueMany(messages: readonly OutgoingMessage[]): Promise<void> };
  jobs: {
    enqueueMany(
      jobs: readonly { name: string; payload: unknown; options?: { key?: string } }[],
    ): Promise<string[]>;
  };
  audit: AuditLog;
  /** The operator's thresholds every main account has (BALANCE_ALERT_THRESHOLDS), highest first. */
  defaultThresholdsMicros: readonly bigint[];
  policy: OutboundPolicy;
}

/**
 * Balance alerts: the operator's default thresholds and each main account's up to 3 own, evaluated
 * in the transaction of every posting that moves balances (never by polling). A threshold alerts
 * once per downward crossing (the balance before the posting at or above it, after below it) and is
 * armed again simply by the balance being at or above it: each posting's before and after are exact
 * under the ledger's lock on the balance row, so no per-threshold state is kept. Alerts are emailed
 * (outbox) to the billing members and the account's extra addresses, and optionally POSTed, signed,
 * to the account's webhook by a retried job; both are written in the posting's transaction.
 */
export class BalanceAlerts {
  readonly store: BalanceAlertStore;

  constructor(private readonly deps: Deps) {
    this.store = new BalanceAlertStore(deps.db);
  }

  /**
   * The `ledger.balances_changed` handler. Nothing at all for a posting that lowered no balance
   * (credits re-arm without a write); otherwise one statement for all the posting's falls and, only
   * when some account crossed a threshold, four more however many did (who to tell; the emails;
   * their delivery jobs; the webhook jobs).
   */
  async onBalancesChanged(event: EventPayload<'ledger.balances_changed'>): Promise<void> {
    const defaults = this.deps.defaultThresholdsMicros;
    const falls: Fall[] = [];
    for (const change of event.changes) {
      const beforeMicros = BigInt(change.beforeMicros);
      const afterMicros = BigInt(change.afterMicros);
      if (afterMicros >= beforeMicros) continue;
      falls.push({
        accountId: change.accountId,
        beforeMicros,
        afterMicros,
        defaultCrossed: defaults.some((t) => crosses(t, beforeMicros, afterMicros)),
      });
    }
    if (falls.length === 0) return;
    const candidates = await this.store.candidates(falls);
    if (candidates.length === 0) return;
    const targets = new Map(
      (
        await this.store.targets(
          candidates.map((c) => c.account_id),
          ALERT_ROLES,
        )
      ).map((t) => [t.id, t]),
    );
    const fallOf = new Map(falls.map((f) => [f.accountId, f]));
    const currencyOf = new Map(event.changes.map((c) => [c.accountId, c.currency]));
    const emails: OutgoingMessage[] = [];
    const webhooks: { name: string; payload: WebhookDelivery; options: { key: string } }[] = [];
    for (const candidate of candidates) {
      const target = targets.get(candidate.account_id);
      if (!target) continue;
      const alert = this.#alert(
        candidate,
        fallOf.get(candidate.account_id) as Fall,
        target,
        currencyOf.get(candidate.account_id) as string,
      );
      if (!alert) continue;
      emails.push(...alert.emails);
      if (alert.webhook)
        webhooks.push({
          name: ALERT_WEBHOOK_JOB,
          payload: alert.webhook,
          options: { key: `balance-alert:${alert.webhook.deliveryId}` },
        });
    }
    // However many accounts alerted: one statement for the messages, one for their delivery jobs, one for the webhooks.
    await this.deps.outbox.enqueueMany(emails);
    if (webhooks.length > 0) await this.deps.jobs.enqueueMany(webhooks);
  }

  /** One account's alert: its emails (each address once) and its webhook delivery; null when no threshold was crossed. */
  #alert(
    candidate: AlertCandidate,
    fall: Fall,
    target: { auth_id: string; name: string; timezone: string; members: string[] },
    currency: string,
  ): { emails: OutgoingMessage[]; webhook: WebhookDelivery | null } | null {
    const crossed = [...new Set([...this.deps.defaultThresholdsMicros, ...candidate.thresholds_micros])]
      .filter((t) => crosses(t, fall.beforeMicros, fall.afterMicros))
      .sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
    if (crossed.length === 0) return null;
    const now = this.deps.clock.now();
    const text = messages.balanceAlert(
      target.name,
      target.auth_id,
      crossed.map((t) => displayMoney(money(t, currency), 'en-US')),
      displayMoney(money(fall.afterMicros, currency), 'en-US'),
      now,
      target.timezone,
    );
    const seen = new Set<string>();
    const emails: OutgoingMessage[] = [];
    for (const address of [...target.members, ...candidate.emails]) {
      const key = address.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      emails.push({ channel: 'email', to: address, ...text });
    }
    if (!candidate.webhook) return { emails, webhook: null };
    const deliveryId = randomUUID();
    const body = JSON.stringify({
      id: deliveryId,
      type: 'balance.alert',
      created_at: now.toISOString(),
      account_id: target.auth_id,
      currency,
      thresholds: crossed.map(formatMoney),
      previous_balance: formatMoney(fall.beforeMicros),
      balance: formatMoney(fall.afterMicros),
    });
    return { emails, webhook: { accountId: fall.accountId, deliveryId, body } };
  }

  /** The webhook job: signs the body now and POSTs it; a refusal or a status outside 2xx throws (retried). */
  async deliverWebhook(payload: WebhookDelivery): Promise<void> {
    const webhook = await this.store.webhookOf(payload.accountId);
    // Removed since the alert: there is nowhere to deliver it any more.
    if (!webhook?.webhook_url || !webhook.webhook_secret_encrypted) return;
    const secret = this.deps.secrets.decrypt(webhook.webhook_secret_encrypted);
    const status = await postJson(
      webhook.webhook_url,
      payload.body,
      {
        ...signatureHeaders(secret, this.deps.clock.now(), payload.body),
        'x-switchboard-delivery': payload.deliveryId,
      },
      this.deps.policy,
    );
    if (status < 200 || status >= 300) throw new Error(`The webhook receiver answered HTTP ${status}`);
  }

  async #mainAccount(accountId: string) {
    const account = await this.store.account(accountId);
    // A subaccount's money is its main account's: it has no alerts of its own.
    assertThat(
      account && account.parent_account_id === null,
      NotFound(BalanceAlertErrors.accountNotFound, 'Balance alerts belong to a main account.'),
    );
    return account;
  }

  /** The account's alert settings, with the defaults and the suggested threshold. */
  async view(accountId: string): Promise<AlertSettingsView> {
    const account = await this.#mainAccount(accountId);
    const [settings, suggestion] = await Promise.all([
      this.store.settings(accountId),
      this.#suggestion(accountId, account.timezone),
    ]);
    return {
      currency: account.currency,
      defaultThresholdsMicros: [...this.deps.defaultThresholdsMicros],
      customThresholdsMicros: settings?.thresholds_micros.map(BigInt) ?? [],
      emails: settings?.emails ?? [],
      webhookUrl: settings?.webhook_url ?? null,
      webhookSecretSet: Boolean(settings?.webhook_secret_encrypted),
      suggestedThresholdMicros: suggestion,
    };
  }

  /** The average daily usage of the last 30 whole local days, rounded up to a cent: the FAQ's suggested threshold. */
  async #suggestion(accountId: string, timezone: string): Promise<bigint | null> {
    const today = localDay(this.deps.clock.now(), timezone);
    const day = (offset: number) =>
      new Date(Date.parse(`${today}T00:00:00Z`) - offset * 86_400_000).toISOString().slice(0, 10);
    const total = await this.store.usageBetween(accountId, day(SUGGESTION_DAYS), day(1));
    if (total <= 0n) return null;
    const average = total / BigInt(SUGGESTION_DAYS);
    return ((average + CENT - 1n) / CENT) * CENT;
  }

  /**
   * Saves the account's thresholds, extra addresses and webhook URL (audited). A webhook set where
   * none had a secret gets one: answered here, this once (`webhookSecret`).
   */
  async save(actor: Actor, accountId: string, input: AlertSettingsInput) {
    const account = await this.#mainAccount(accountId);
    const thresholds = this.#thresholds(input.customThresholds, account.currency);
    const emails = this.#emails(input.emails);
    const webhookUrl = await this.#webhookUrl(input.webhookUrl);
    let webhookSecret: string | undefined;
    await inTransaction(this.deps.db, async () => {
      const before = await this.store.settings(accountId);
      let secretEncrypted: string | null | undefined;
      if (webhookUrl === null) secretEncrypted = null;
      else if (!before?.webhook_secret_encrypted) {
        webhookSecret = newWebhookSecret();
        secretEncrypted = this.deps.secrets.encrypt(webhookSecret);
      }
      await this.store.save(accountId, {
        thresholdsMicros: thresholds,
        emails,
        webhookUrl,
        ...(secretEncrypted !== undefined ? { webhookSecretEncrypted: secretEncrypted } : {}),
      });
      await this.deps.audit.record(actor, {
        action: 'billing.alerts_changed',
        accountId,
        details: {
          customThresholds: thresholds.map(formatMoney),
          emails,
          webhookUrl,
          ...(webhookSecret ? { webhookSecret: 'issued' } : {}),
        },
      });
    });
    return { view: await this.view(accountId), webhookSecret };
  }

  /** A new webhook secret (the old one stops signing at once), answered this once; audited. */
  async rotateSecret(actor: Actor, accountId: string): Promise<string> {
    await this.#mainAccount(accountId);
    const secret = newWebhookSecret();
    await inTransaction(this.deps.db, async () => {
      const settings = await this.store.settings(accountId);
      assertThat(
        settings?.webhook_url,
        Conflict(
          BalanceAlertErrors.noWebhook,
          'Set a webhook URL first: a secret signs the alerts sent to it.',
        ),
      );
      await this.store.setSecret(accountId, this.deps.secrets.encrypt(secret));
      await this.deps.audit.record(actor, { action: 'billing.alert_webhook_secret_rotated', accountId });
    });
    return secret;
  }

  #thresholds(inputs: string[], currency: string): bigint[] {
    assertThat(
      inputs.length <= MAX_CUSTOM_THRESHOLDS,
      ValidationFailed(
        BalanceAlertErrors.tooManyThresholds,
        `Set at most ${MAX_CUSTOM_THRESHOLDS} thresholds of your own (the defaults always apply).`,
        [{ field: 'customThresholds', message: `at most ${MAX_CUSTOM_THRESHOLDS}` }],
      ),
    );
    const thresholds: bigint[] = [];
    for (const [index, input] of inputs.entries()) {
      const micros = parseMoney(input);
      assertThat(
        micros !== null && micros > 0n && micros % CENT === 0n,
        ValidationFailed(
          BalanceAlertErrors.invalidThreshold,
          `"${input}" is not a threshold: write an amount in ${currency} above 0 with at most 2 decimals, such as 50 or 12.50.`,
          [{ field: `customThresholds/${index}`, message: 'an amount above 0, such as 50 or 12.50' }],
        ),
      );
      if (!thresholds.includes(micros)) thresholds.push(micros);
    }
    return thresholds.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  }

  #emails(inputs: string[]): string[] {
    assertThat(
      inputs.length <= MAX_ALERT_EMAILS,
      ValidationFailed(
        BalanceAlertErrors.tooManyEmails,
        `Add at most ${MAX_ALERT_EMAILS} more addresses (the billing members always get the alerts).`,
        [{ field: 'emails', message: `at most ${MAX_ALERT_EMAILS}` }],
      ),
    );
    const emails: string[] = [];
    for (const [index, input] of inputs.entries()) {
      const email = input.trim().toLowerCase();
      assertThat(
        EMAIL.test(email) && email.length <= 254,
        ValidationFailed(
          BalanceAlertErrors.invalidEmail,
          `"${input}" is not an email address: write one such as billing@example.com.`,
          [{ field: `emails/${index}`, message: 'an email address such as billing@example.com' }],
        ),
      );
      if (!emails.includes(email)) emails.push(email);
    }
    return emails;
  }

  async #webhookUrl(input: string | null): Promise<string | null> {
    const url = input?.trim() ?? '';
    if (url === '') return null;
    const refusal = (reason: string) =>
      ValidationFailed(BalanceAlertErrors.invalidWebhookUrl, `The webhook URL ${reason}.`, [
        { field: 'webhookUrl', message: reason },
      ]);
    const shape = urlShapeProblem(url);
    assertThat(shape === null, () => refusal(shape as string));
    const destination = await destinationProblem(url, this.deps.policy);
    assertThat(destination === null, () => refusal(destination as string));
    return url;
  }
}
