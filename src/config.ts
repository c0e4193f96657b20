import { isIP } from 'node:net';
import path from 'node:path';
import { isCalendarDate } from './lib/dates.js';
import { isCurrencyCode, parseMoney } from './lib/money.js';

/** Every setting of Switchboard, read from the environment once and validated. */
export interface Config {
  environment: 'development' | 'production';
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** 32-byte key as 64 hex characters; undefined means "generate one into dataDir" (embedded mode only). */
  secretKey: string | undefined;
  smtpUrl: string | undefined;
  mailFrom: string;
  smsDriver: 'outbox' | 'webhook' | 'smpp';
  voiceDriver: 'outbox' | 'webhook';
  otpWebhookUrl: string | undefined;
  otpWebhookSecret: string | undefined;
  smppUrl: string | undefined;
  smppSourceAddress: string;
  /** The SIP domain in endpoints' and applications' SIP URIs, and the realm of their digests. */
  sipDomain: string;
  /** Where the SIP server sends calls to numbers (SIP_CARRIER_URI); none: endpoints and rented numbers only. */
  sipCarrierUri: string | null;
  /** Addresses the carrier's calls come from (SIP_CARRIER_ADDRESSES, comma-separated IPs). */
  sipCarrierAddresses: string[];
  trustProxy: boolean | number | string;
  vpnDenylistFile: string;
  riskDenylistFile: string;
  reviewRules: ReviewRule[];
  outboxRetentionDays: number;
  /** Default requests per second per account for each API rate class; staff raise them per account. */
  rateLimits: { standard: number; lookup: number; message: number };
  /**
   * Requests per second an account may make to POST …/Message/ (RATE_LIMIT_MESSAGE_REQUESTS): over
   * it, 429. The Message rate class is not a request limit: it is how many messages per second
   * leave the account's queue.
   */
  messageRequestLimit: number;
  /** The SMSC customer messages leave through (SMSC_URL, smpp://system_id:password@host:port); undefined: development's outbox. */
  smscUrl: string | undefined;
  /** The most submit_sm per second the SMSC takes on Switchboard's connection (SMSC_SUBMITS_PER_SECOND). */
  smscSubmitsPerSecond: number;
  /** Seconds between attempts to bind again after the SMSC dropped the connection (SMSC_REBIND_SECONDS). */
  smscRebindSeconds: number;
  /** How long a message may wait in the queue when the request names no message_expiry (MESSAGE_EXPIRY_SECONDS). */
  messageExpirySeconds: number;
  apiLogRetentionDays: number;
  /** Days audit events are kept (a closed account's stay until its own purge). */
  auditRetentionDays: number;
  /** How long a client has to send a whole request, headers and body; then 408 and the connection is closed. */
  requestTimeoutSeconds: number;
  /** How long a connection may pass no bytes either way before it is closed. */
  connectionTimeoutSeconds: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  logLevel: string;
  /** Bearer token a Prometheus scraper sends for GET /metrics; undefined: /metrics does not exist (404). */
  metricsToken: string | undefined;
  /** The ISO 4217 currency new accounts are priced and billed in; each account keeps the one it was opened with. */
  currency: string;
  /** Credit, in micro-units of `currency`, a main account receives once when it is first activated (never refundable). */
  trialCreditMicros: bigint;
  /** Balance alerts every main account gets (micro-units of `currency`, highest first): BALANCE_ALERT_THRESHOLDS. */
  balanceAlertThresholdsMicros: bigint[];
  /** Outgoing webhooks (balance alerts) may reach private, loopback and link-local addresses: CALLBACK_ALLOW_PRIVATE. */
  callbackAllowPrivate: boolean;
  /** Where payments go: the built-in test gateway (development's default), Stripe, or none (recharge by staff only). */
  paymentGateway: 'test' | 'stripe' | 'none';
  /** Stripe's keys and webhook signing secret (PAYMENT_GATEWAY=stripe); `apiUrl` overrides Stripe's address (a proxy, a test stand-in). */
  stripe:
    | { secretKey: string; publishableKey: string; webhookSecret: string; apiUrl: string | undefined }
    | undefined;
  /** The smallest and largest recharge, in micro-units of `currency`. */
  rechargeMinMicros: bigint;
  rechargeMaxMicros: bigint;
  /** Consecutive failed auto-recharges after which the account's payment failure is announced (and auto-recharge stops trying). */
  autoRechargeMaxFailures: number;
  /** Inactive account policy: days without sign-in or API use before the warning email. */
  inactiveWarnDays: number;
  /** Inactive account policy: days after the warning before stored payment methods are removed. */
  inactiveRemoveDays: number;
  /** The operator's name as its documents (invoices, receipts) show it. */
  operatorName: string;
  /** Credit control: the seconds of a call each hold covers (renewed by Switchboard as the call runs). */
  creditIntervalSeconds: number;
  /** Credit control: the default most sessions (calls, messages in flight) an account has open at once; staff override per account. */
  creditMaxSessions: number;
  /** Credit control: the default highest destination rate a session may have (per minute or per segment); null for none. */
  creditMaxDestinationRateMicros: bigint | null;
  /** Support: hours support has to answer a ticket waiting on it, per priority (SUPPORT_SLA_HOURS). */
  supportSlaHours: Record<'urgent' | 'high' | 'normal' | 'low', number>;
  /** Support: days after a ticket is solved during which its customer may reopen it. */
  supportReopenDays: number;
  /** Support: the largest attachment, in bytes. */
  supportAttachmentMaxBytes: number;
  /** Support: where a customer's reply to an unassigned ticket is announced; undefined: nowhere. */
  supportTeamEmail: string | undefined;
  /** The operator's holidays ('YYYY-MM-DD'): not business days when a refund's due date is counted. */
  operatorHolidays: string[];
  /** Suspicious activity: a day's spend above this many times its 30-day average is suspicious (SUSPICIOUS_SPEND_FACTOR; 0: off). */
  suspiciousSpendFactor: number;
  /** Suspicious activity: a day's spend under this (micro-units of `currency`) is never suspicious (SUSPICIOUS_SPEND_MIN). */
  suspiciousSpendMinMicros: bigint;
  /** Suspicious activity: sign-ins from more than this many countries in a day are suspicious (SUSPICIOUS_SIGNIN_COUNTRIES; 0: off). */
  suspiciousSignInCountries: number;
  /** Suspicious activity: hold the account for staff review (a flag) or suspend it (SUSPICIOUS_ACTION). */
  suspiciousAction: 'review' | 'suspend';
  /** The geofeed (RFC 8805 CSV: prefix,country) that names the country of a sign-in's address (IP_COUNTRIES_FILE). */
  ipCountriesFile: string;
  /** Years a closed account's ledger, invoices and audit trail are kept (for staff) before they are deleted. */
  financialRetentionYears: number;
}

export const reviewRuleNames = ['website_domain_mismatch', 'denylisted', 'incomplete_profile'] as const;
export type ReviewRule = (typeof reviewRuleNames)[number];

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Switchboard cannot start, fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

type Env = Record<string, string | undefined>;

/** Reads and validates the whole configuration; throws ConfigError listing every bad value. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name}=${raw} must be a whole number from ${min} to ${max}`);
      return fallback;
    }
    return value;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], fallback: T): T => {
    const raw = text(name);
    if (raw === undefined) return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      problems.push(`${name}=${raw} must be one of: ${allowed.join(', ')}`);
      return fallback;
    }
    return raw as T;
  };
  const url = (name: string, protocols: string[]): string | undefined => {
    const raw = text(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
      }
    } catch {
      problems.push(`${name} is not a valid URL`);
    }
    return raw;
  };

  const environment = oneOf('SWITCHBOARD_ENV', ['development', 'production'] as const, 'development');
  const port = integer('PORT', 8080, 0, 65535);
  const host = text('HOST') ?? '127.0.0.1';
  const publicUrl = (url('PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${port}`).replace(
    /\/+$/,
    '',
  );
  if (environment === 'production' && !publicUrl.startsWith('https://')) {
    problems.push('PUBLIC_URL must be an https:// address when SWITCHBOARD_ENV=production');
  }
  const databaseUrl = url('DATABASE_URL', ['postgres:', 'postgresql:']);
  const secretKey = text('SECRET_KEY');
  if (secretKey !== undefined && !/^[0-9a-fA-F]{64}$/.test(secretKey)) {
    problems.push(
      'SECRET_KEY must be 64 hexadecimal characters (32 bytes); make one with: openssl rand -hex 32',
    );
  }
  if (databaseUrl && secretKey === undefined) {
    problems.push(
      'SECRET_KEY is required when DATABASE_URL is set (every instance must share it); make one with: openssl rand -hex 32',
    );
  }
  if (environment === 'production' && !text('SMTP_URL')) {
    problems.push(
      'SMTP_URL is required when SWITCHBOARD_ENV=production (emails would otherwise never leave the server)',
    );
  }
  const smsDriver = oneOf('SMS_DRIVER', ['outbox', 'webhook', 'smpp'] as const, 'outbox');
  const voiceDriver = oneOf('VOICE_DRIVER', ['outbox', 'webhook'] as const, 'outbox');
  const otpWebhookUrl = url('OTP_WEBHOOK_URL', ['http:', 'https:']);
  const otpWebhookSecret = text('OTP_WEBHOOK_SECRET');
  if ((smsDriver === 'webhook' || voiceDriver === 'webhook') && (!otpWebhookUrl || !otpWebhookSecret)) {
    problems.push('SMS_DRIVER or VOICE_DRIVER "webhook" needs OTP_WEBHOOK_URL and OTP_WEBHOOK_SECRET');
  }

  const smppUrl = url('SMPP_URL', ['smpp:']);
  if (smsDriver === 'smpp' && !smppUrl) {
    problems.push(
      'SMS_DRIVER "smpp" needs SMPP_URL, such as smpp://system_id:password@smsc.example.com:2775',
    );
  }
  const metricsToken = text('METRICS_TOKEN');
  if (metricsToken !== undefined && metricsToken.length < 32) {
    problems.push('METRICS_TOKEN must be at least 32 characters; make one with: openssl rand -hex 32');
  }
  const currency = (text('CURRENCY') ?? 'USD').toUpperCase();
  if (!isCurrencyCode(currency)) {
    problems.push(`CURRENCY=${currency} must be an ISO 4217 currency code such as USD or EUR`);
  }
  const trialCreditRaw = text('TRIAL_CREDIT') ?? '0';
  const trialCreditMicros = parseMoney(trialCreditRaw);
  if (trialCreditMicros === null) {
    problems.push(`TRIAL_CREDIT=${trialCreditRaw} must be an amount in ${currency} such as 0 or 5.00`);
  }
  const balanceAlertThresholdsMicros: bigint[] = [];
  for (const part of (text('BALANCE_ALERT_THRESHOLDS') ?? '250,100,10').split(',').map((p) => p.trim())) {
    if (part === '' || part === 'none') continue;
    const micros = parseMoney(part);
    if (micros === null || micros === 0n) {
      problems.push(
        `BALANCE_ALERT_THRESHOLDS: "${part}" must be an amount in ${currency} above 0, such as 250,100,10 (or none)`,
      );
    } else if (!balanceAlertThresholdsMicros.includes(micros)) balanceAlertThresholdsMicros.push(micros);
  }
  balanceAlertThresholdsMicros.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  const allowPrivateRaw = text('CALLBACK_ALLOW_PRIVATE') ?? 'false';
  if (!['true', 'false'].includes(allowPrivateRaw))
    problems.push(`CALLBACK_ALLOW_PRIVATE=${allowPrivateRaw} must be true or false`);

  const amountSetting = (name: string, fallback: string): bigint => {
    const raw = text(name) ?? fallback;
    const micros = parseMoney(raw);
    if (micros === null || micros <= 0n) {
      problems.push(`${name}=${raw} must be an amount in ${currency} above 0, such as ${fallback}`);
      return parseMoney(fallback) as bigint;
    }
    return micros;
  };
  const rechargeMinMicros = amountSetting('RECHARGE_MIN', '10.00');
  const rechargeMaxMicros = amountSetting('RECHARGE_MAX', '10000.00');
  if (rechargeMinMicros > rechargeMaxMicros) problems.push('RECHARGE_MIN must not be above RECHARGE_MAX');
  const maxDestinationRate = text('CREDIT_MAX_DESTINATION_RATE');
  const paymentGateway = oneOf(
    'PAYMENT_GATEWAY',
    ['test', 'stripe', 'none'] as const,
    environment === 'development' ? 'test' : 'none',
  );
  if (environment === 'production' && paymentGateway === 'test') {
    problems.push(
      'PAYMENT_GATEWAY=test takes no real money: use stripe (or none) when SWITCHBOARD_ENV=production',
    );
  }
  const stripeSecretKey = text('STRIPE_SECRET_KEY');
  const stripePublishableKey = text('STRIPE_PUBLISHABLE_KEY');
  const stripeWebhookSecret = text('STRIPE_WEBHOOK_SECRET');
  const stripeApiUrl = url('STRIPE_API_URL', ['http:', 'https:']);
  if (paymentGateway === 'stripe' && (!stripeSecretKey || !stripePublishableKey || !stripeWebhookSecret)) {
    problems.push(
      'PAYMENT_GATEWAY=stripe needs STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY and STRIPE_WEBHOOK_SECRET (Stripe Dashboard > Developers)',
    );
  }
  const reviewRulesRaw = text('REVIEW_RULES');
  const reviewRules: ReviewRule[] = [];
  for (const rule of (reviewRulesRaw ?? reviewRuleNames.join(',')).split(',').map((r) => r.trim())) {
    if (rule === '' || rule === 'none') continue;
    if ((reviewRuleNames as readonly string[]).includes(rule)) reviewRules.push(rule as ReviewRule);
    else
      problems.push(`REVIEW_RULES: unknown rule "${rule}"; known rules: ${reviewRuleNames.join(', ')}, none`);
  }

  const config: Config = {
    environment,
    port,
    host,
    publicUrl,
    dataDir: path.resolve(text('DATA_DIR') ?? 'data'),
    databaseUrl,
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:']),
    secretKey: secretKey?.toLowerCase(),
    smtpUrl: url('SMTP_URL', ['smtp:', 'smtps:']),
    mailFrom: text('MAIL_FROM') ?? 'Switchboard <no-reply@localhost>',
    smsDriver,
    voiceDriver,
    otpWebhookUrl,
    otpWebhookSecret,
    smppUrl,
    smppSourceAddress: text('SMPP_SOURCE_ADDR') ?? 'Switchboard',
    sipDomain: text('SIP_DOMAIN') ?? `sip.${new URL(publicUrl).hostname}`,
    sipCarrierUri: sipCarrierUri(text('SIP_CARRIER_URI'), problems),
    sipCarrierAddresses: ipList('SIP_CARRIER_ADDRESSES', text('SIP_CARRIER_ADDRESSES'), problems),
    trustProxy: parseTrustProxy(text('TRUST_PROXY'), problems),
    vpnDenylistFile: path.resolve(text('VPN_DENYLIST_FILE') ?? 'config/vpn-denylist.txt'),
    riskDenylistFile: path.resolve(text('RISK_DENYLIST_FILE') ?? 'config/risk-denylist.txt'),
    reviewRules,
    outboxRetentionDays: integer('OUTBOX_RETENTION_DAYS', 7, 0, 3650),
    rateLimits: {
      standard: integer('RATE_LIMIT_STANDARD', 20, 1, 1_000_000),
      lookup: integer('RATE_LIMIT_LOOKUP', 20, 1, 1_000_000),
      message: integer('RATE_LIMIT_MESSAGE', 10, 1, 1_000_000),
    },
    messageRequestLimit: integer('RATE_LIMIT_MESSAGE_REQUESTS', 100, 1, 1_000_000),
    smscUrl: url('SMSC_URL', ['smpp:', 'ssmpp:']),
    smscSubmitsPerSecond: integer('SMSC_SUBMITS_PER_SECOND', 100, 1, 100_000),
    smscRebindSeconds: integer('SMSC_REBIND_SECONDS', 5, 1, 3600),
    messageExpirySeconds: integer('MESSAGE_EXPIRY_SECONDS', 10_800, 5, 259_200),
    apiLogRetentionDays: integer('API_LOG_RETENTION_DAYS', 90, 1, 3650),
    auditRetentionDays: integer('AUDIT_RETENTION_DAYS', 365, 30, 36_500),
    requestTimeoutSeconds: integer('REQUEST_TIMEOUT_SECONDS', 30, 1, 3600),
    connectionTimeoutSeconds: integer('CONNECTION_TIMEOUT_SECONDS', 60, 1, 3600),
    sessionIdleMinutes: integer('SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
    sessionAbsoluteHours: integer('SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    logLevel: oneOf(
      'LOG_LEVEL',
      ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const,
      'info',
    ),
    metricsToken,
    currency,
    trialCreditMicros: trialCreditMicros ?? 0n,
    balanceAlertThresholdsMicros,
    callbackAllowPrivate: allowPrivateRaw === 'true',
    paymentGateway,
    stripe:
      paymentGateway === 'stripe' && stripeSecretKey && stripePublishableKey && stripeWebhookSecret
        ? {
            secretKey: stripeSecretKey,
            publishableKey: stripePublishableKey,
            webhookSecret: stripeWebhookSecret,
            apiUrl: stripeApiUrl,
          }
        : undefined,
    rechargeMinMicros,
    rechargeMaxMicros,
    autoRechargeMaxFailures: integer('AUTO_RECHARGE_MAX_FAILURES', 3, 1, 100),
    inactiveWarnDays: integer('INACTIVE_WARN_DAYS', 365, 1, 3650),
    inactiveRemoveDays: integer('INACTIVE_REMOVE_DAYS', 30, 1, 3650),
    operatorName: operatorName(text('OPERATOR_NAME'), problems),
    creditIntervalSeconds: integer('CREDIT_INTERVAL_SECONDS', 60, 10, 3600),
    creditMaxSessions: integer('CREDIT_MAX_SESSIONS', 100, 1, 1_000_000),
    creditMaxDestinationRateMicros:
      maxDestinationRate === undefined ? null : amountSetting('CREDIT_MAX_DESTINATION_RATE', '1.00'),
    supportSlaHours: slaHours(text('SUPPORT_SLA_HOURS'), problems),
    supportReopenDays: integer('SUPPORT_REOPEN_DAYS', 7, 0, 365),
    supportAttachmentMaxBytes: integer('SUPPORT_ATTACHMENT_MAX_BYTES', 2_097_152, 1024, 5_242_880),
    supportTeamEmail: supportTeamEmail(text('SUPPORT_TEAM_EMAIL'), problems),
    operatorHolidays: operatorHolidays(text('OPERATOR_HOLIDAYS'), problems),
    suspiciousSpendFactor: integer('SUSPICIOUS_SPEND_FACTOR', 10, 0, 10_000),
    suspiciousSpendMinMicros: amountSetting('SUSPICIOUS_SPEND_MIN', '50.00'),
    suspiciousSignInCountries: integer('SUSPICIOUS_SIGNIN_COUNTRIES', 3, 0, 250),
    suspiciousAction: oneOf('SUSPICIOUS_ACTION', ['review', 'suspend'] as const, 'review'),
    ipCountriesFile: path.resolve(text('IP_COUNTRIES_FILE') ?? 'config/ip-countries.csv'),
    financialRetentionYears: integer('FINANCIAL_RETENTION_YEARS', 7, 1, 100),
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const slaPriorities = ['urgent', 'high', 'normal', 'low'] as const;

/** SUPPORT_SLA_HOURS: "urgent=1,high=4,normal=24,low=72"; a priority left out keeps its default. */
function slaHours(raw: string | undefined, problems: string[]): Config['supportSlaHours'] {
  const hours = { urgent: 1, high: 4, normal: 24, low: 72 };
  if (raw === undefined) return hours;
  for (const part of raw.split(',')) {
    const [name = '', value = ''] = part.split('=').map((piece) => piece.trim());
    const number = Number(value);
    if (
      !(slaPriorities as readonly string[]).includes(name) ||
      !/^\d+$/.test(value) ||
      number < 1 ||
      number > 8760
    ) {
      problems.push(
        `SUPPORT_SLA_HOURS=${raw} must be priority=hours pairs such as "urgent=1,high=4,normal=24,low=72" (hours 1 to 8760)`,
      );
      return hours;
    }
    hours[name as (typeof slaPriorities)[number]] = number;
  }
  return hours;
}

function operatorHolidays(raw: string | undefined, problems: string[]): string[] {
  if (raw === undefined) return [];
  const days = raw
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  const wrong = days.filter((day) => !isCalendarDate(day));
  if (wrong.length > 0) {
    problems.push(
      `OPERATOR_HOLIDAYS: ${wrong.join(', ')} must be dates written YYYY-MM-DD, comma-separated, such as 2026-12-25,2027-01-01`,
    );
    return [];
  }
  return days;
}

function supportTeamEmail(raw: string | undefined, problems: string[]): string | undefined {
  if (raw !== undefined && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(raw))
    problems.push(`SUPPORT_TEAM_EMAIL=${raw} is not an email address`);
  return raw;
}

function operatorName(raw: string | undefined, problems: string[]): string {
  if (raw === undefined) return 'Switchboard';
  if (raw.length > 100 || /[\p{Cc}\p{Cs}]/u.test(raw))
    problems.push('OPERATOR_NAME must be at most 100 characters of text (no control characters)');
  return raw;
}

function parseTrustProxy(raw: string | undefined, problems: string[]): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (/^[0-9a-fA-F.:/, ]+$/.test(raw)) return raw;
  problems.push(
    `TRUST_PROXY=${raw} must be false, true, a number of proxy hops, or a comma-separated list of proxy addresses/CIDRs`,
  );
  return false;
}

/** SIP_CARRIER_URI: sip:host[:port] (a user part is dropped: the number called takes its place). */
function sipCarrierUri(value: string | undefined, problems: string[]): string | null {
  if (value === undefined) return null;
  if (!/^sips?:([^@\s]+@)?[A-Za-z0-9.-]+(:\d{1,5})?$/.test(value)) {
    problems.push(
      `SIP_CARRIER_URI must be sip:host or sip:host:port, such as sip:carrier.example.com:5060, not "${value}"`,
    );
    return null;
  }
  return value;
}

/** A comma-separated list of IP addresses. */
function ipList(name: string, value: string | undefined, problems: string[]): string[] {
  if (value === undefined) return [];
  const addresses = value
    .split(',')
    .map((a) => a.trim())
    .filter((a) => a !== '');
  for (const address of addresses)
    if (isIP(address) === 0)
      problems.push(`${name} must list IP addresses separated by commas; "${address}" is not one`);
  return addresses;
}
