import { mkdirSync } from 'node:fs';
import pino, { type Logger } from 'pino';
import { lockEmbeddedDatabase } from './cli/database-lock.js';
import type { Config } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/database.js';
import {
  embeddedDatabaseExists,
  embeddedDirectory,
  hasSwitchboardTables,
  NoDatabase,
} from './db/database-location.js';
import { migrateToLatest } from './db/migrate.js';
import { EventBus } from './events/bus.js';
import { purgeJobsJob } from './jobs/purge.job.js';
import { Jobs } from './jobs/runner.js';
import { StaffJobs } from './jobs/staff.js';
import { BusinessCalendar } from './lib/business-days.js';
import { CidrList } from './lib/cidr-list.js';
import { type Clock, systemClock } from './lib/clock.js';
import { IpCountries } from './lib/ip-countries.js';
import { Metrics } from './lib/metrics.js';
import { outboundPolicy } from './lib/outbound.js';
import { loadOrCreateSecretKey, SecretBox } from './lib/secrets.js';
import { createThrottle } from './lib/throttle.js';
import { InactivityPolicy, inactivityReviewJob } from './modules/account-security/inactivity.js';
import { SecureAccount } from './modules/account-security/service.js';
import { loadRiskDenylist } from './modules/accounts/activation.js';
import { AccountClosure } from './modules/accounts/closure.js';
import { AccountLifecycle } from './modules/accounts/lifecycle.js';
import { AccountProvisioning } from './modules/accounts/provisioning.js';
import { FinancialRetention, financialRetentionJob } from './modules/accounts/retention.js';
import { AccountService } from './modules/accounts/service.js';
import { Suspensions } from './modules/accounts/suspensions.js';
import { ApiLogService } from './modules/api-logs/service.js';
import { ApplicationService } from './modules/applications/service.js';
import { AuditLog } from './modules/audit/audit.js';
import { auditRetentionJob, auditWebhookJob } from './modules/audit/jobs.js';
import { AuditEvents } from './modules/audit/service.js';
import { AutoRecharge, autoRechargeJob } from './modules/billing/auto-recharge.js';
import { balanceAlertWebhookJob } from './modules/billing/balance-alerts.job.js';
import { BalanceAlerts } from './modules/billing/balance-alerts.js';
import { CreditAdjustments } from './modules/billing/credits.js';
import { ENGINES_CHANGED_CHANNEL, EngineService } from './modules/billing/engines.js';
import { NoGateway } from './modules/billing/gateway.js';
import { issueInvoicesJob } from './modules/billing/invoices.job.js';
import { InvoiceService } from './modules/billing/invoices.js';
import { Ledger } from './modules/billing/ledger.js';
import { reconcilePaymentsJob } from './modules/billing/payments.jobs.js';
import { Payments } from './modules/billing/payments.js';
import { PRICES_CHANGED_CHANNEL, Prices } from './modules/billing/price-book.js';
import { PriceDeckService } from './modules/billing/price-decks.js';
import { issueRefundJob, REFUND_BUSINESS_DAYS, Refunds } from './modules/billing/refunds.js';
import { renewRentalsJob } from './modules/billing/rentals.job.js';
import { Rentals } from './modules/billing/rentals.js';
import { StripeGateway } from './modules/billing/stripe-gateway.js';
import { TestGateway } from './modules/billing/test-gateway.js';
import { TransactionHistory } from './modules/billing/transactions.js';
import { trialCreditOnActivation } from './modules/billing/trial-credit.js';
import { UsageCharging } from './modules/billing/usage.js';
import { usageSummaryEmailJob } from './modules/billing/usage-summary.job.js';
import { UsageSummaryService } from './modules/billing/usage-summary.js';
import { ApiKeys } from './modules/credentials/api-keys.js';
import { CredentialService } from './modules/credentials/service.js';
import {
  disconnectJob,
  expireSessionsJob,
  raiseBoundJob,
  renewHoldsJob,
  spendCapAlertsJob,
} from './modules/credit-control/jobs.js';
import { CreditControl } from './modules/credit-control/service.js';
import { EndpointService } from './modules/endpoints/service.js';
import { AccountCache } from './modules/gate/account-cache.js';
import { createGate, type Gate } from './modules/gate/gate.js';
import {
  ACCOUNT_CHANGED_CHANNEL,
  accountChanges,
  announceAccountChange,
  gateInvalidatingEvents,
} from './modules/gate/invalidation.js';
import { memoryRateCounter, redisRateCounter } from './modules/gate/rate-counter.js';
import { flushRequestLogJob, purgeRequestLogJob } from './modules/gate/request-log.jobs.js';
import { RequestLog } from './modules/gate/request-log.js';
import { GateStore } from './modules/gate/store.js';
import type { IdentityDeps } from './modules/identity/deps.js';
import { sweepExpiredJob } from './modules/identity/expired.jobs.js';
import { Flows } from './modules/identity/flows.js';
import { Onboarding } from './modules/identity/onboarding.js';
import { Passkeys } from './modules/identity/passkeys.js';
import { SecuritySettings } from './modules/identity/security.js';
import { Sessions } from './modules/identity/sessions.js';
import { SignIn } from './modules/identity/sign-in.js';
import { IdentityStore } from './modules/identity/store.js';
import { IpWhitelistService } from './modules/ip-whitelist/service.js';
import { inboundCallbackJob, statusCallbackJob } from './modules/messaging/callbacks.js';
import { LazyCarrier, type MessageCarrier, NoCarrier, OutboxCarrier } from './modules/messaging/carriers.js';
import { MessageDispatcher } from './modules/messaging/dispatcher.js';
import { Messaging } from './modules/messaging/service.js';
import { SmscConnection } from './modules/messaging/smsc.js';
import { MessageStore } from './modules/messaging/store.js';
import { NumberService } from './modules/numbers/service.js';
import { RateLimitService } from './modules/rate-limits/service.js';
import { SsoService } from './modules/sso/service.js';
import { StaffService } from './modules/staff/service.js';
import { SenderIdService } from './modules/subaccounts/sender-ids.js';
import { SubaccountService } from './modules/subaccounts/service.js';
import { SubaccountStore } from './modules/subaccounts/store.js';
import { SupportService } from './modules/support/service.js';
import { SuspiciousActivity, suspiciousActivityJob } from './modules/suspicious-activity/service.js';
import { TeamService } from './modules/team/service.js';
import { TeamStore } from './modules/team/store.js';
import { Voice } from './modules/voice/service.js';
import { driversFor } from './notify/drivers.js';
import { deliverMessageJob, purgeOutboxJob } from './notify/outbox.jobs.js';
import { Outbox } from './notify/outbox.js';

/** Everything a running Switchboard holds: the database, the services and the background work. */
export interface System {
  config: Config;
  log: Logger;
  database: DatabaseHandle;
  clock: Clock;
  secrets: SecretBox;
  outbox: Outbox;
  /** The background work: started by startServer, stopped (the jobs in hand finished) by close. */
  jobs: Jobs;
  /** Domain events: services publish, modules subscribe here. */
  events: EventBus;
  /** The one way money moves: every main account's ledger and cached balance. */
  ledger: Ledger;
  /** The price decks staff loaded, as this instance rates usage with them. */
  prices: Prices;
  /** Billing > Transactions: the ledger as the customer reads it. */
  transactions: TransactionHistory;
  /** Staff (and the CLI) adjust credit with a reason. */
  credits: CreditAdjustments;
  /** Number rentals: charged at rent and renewal, owed when the balance cannot cover them. */
  rentals: Rentals;
  /** Price decks staff load, and a country's prices as customers read them. */
  priceDecks: PriceDeckService;
  /** Billing > Usage Summary, the usage API and the daily usage summary email. */
  usageSummary: UsageSummaryService;
  /** The engines' credentials (the engine door's keys). */
  engines: EngineService;
  /** Billing > Invoices: monthly invoices, issued by an hourly job, never changed. */
  invoices: InvoiceService;
  /** Usage posted by engines, rated and charged. */
  usage: UsageCharging;
  /** Real-time credit control: engine sessions, holds, limits, the out-of-credit state. */
  credit: CreditControl;
  /** The Message API: sends checked, held and queued. */
  messaging: Messaging;
  /** Takes queued messages to the carrier at each account's rate; receipts and inbound messages. */
  messageDispatcher: MessageDispatcher;
  /** Voice through a SIP server: endpoints' digests and registrations, calls decided, recorded and charged. */
  voice: Voice;
  /** Connects the carrier (the SMSC, when SMSC_URL is set) and starts the message dispatcher: startServer calls it. */
  startMessaging(): Promise<void>;
  /** Suspension and reinstatement of accounts. */
  suspensions: Suspensions;
  /** Refunds of closed accounts' remaining credit, issued through the gateway. */
  refunds: Refunds;
  /** Closing an account (Account > Service Address > Close Account, or staff). */
  closure: AccountClosure;
  /** Balance alerts (Billing > Payment Settings), evaluated in every posting's transaction. */
  balanceAlerts: BalanceAlerts;
  /** Saved cards and recharges through the configured payment gateway. */
  payments: Payments;
  /** Auto-recharge: one recharge when a debit takes the balance below the threshold, within caps. */
  autoRecharge: AutoRecharge;
  /** "Secure my account" (Account > Settings > Security) and what to review after it. */
  secureAccount: SecureAccount;
  /** The inactive account policy: warning, then stored payment methods removed (a scheduled job). */
  inactivity: InactivityPolicy;
  staffJobs: StaffJobs;
  sessions: Sessions;
  accounts: AccountService;
  credentials: CredentialService;
  apiKeys: ApiKeys;
  gate: Gate;
  requestLog: RequestLog;
  ipWhitelist: IpWhitelistService;
  apiLogs: ApiLogService;
  rateLimits: RateLimitService;
  provisioning: AccountProvisioning;
  team: TeamService;
  subaccounts: SubaccountService;
  senderIds: SenderIdService;
  applications: ApplicationService;
  endpoints: EndpointService;
  numbers: NumberService;
  onboarding: Onboarding;
  signIn: SignIn;
  security: SecuritySettings;
  staff: StaffService;
  sso: SsoService;
  /** Support tickets: created from /support, followed by customers, answered from the staff queue. */
  support: SupportService;
  /** Suspicious activity: the operator's rules hold accounts for staff review (or suspend them); staff's Flagged list. */
  suspiciousActivity: SuspiciousActivity;
  audit: AuditLog;
  /** The audit log customers read (console, export, /v1 AuditEvent) and its signed webhook. */
  auditEvents: AuditEvents;
  metrics: Metrics;
  close(): Promise<void>;
}

export interface SystemOptions {
  clock?: Clock;
  log?: Logger;
  /** An already open database (tests); otherwise opened from the configuration. */
  database?: DatabaseHandle;
  /** How identity providers are reached (SSO); tests pass one that trusts the CA they made. */
  fetch?: typeof fetch;
  /** False: refuse (NoDatabase) instead of creating a database that does not exist yet. Default true. */
  createDatabase?: boolean;
}

/** Opens the database, applies migrations and wires the services; the HTTP doors are added by buildApp. */
export async function startSystem(config: Config, options: SystemOptions = {}): Promise<System> {
  const log = options.log ?? pino({ level: config.logLevel });
  const clock = options.clock ?? systemClock;
  let unlock = () => {};
  let database = options.database;
  if (!database) {
    const mayCreate = options.createDatabase ?? true;
    if (!config.databaseUrl) {
      if (!mayCreate && !embeddedDatabaseExists(config.dataDir)) throw new NoDatabase(config);
      mkdirSync(config.dataDir, { recursive: true });
      unlock = lockEmbeddedDatabase(config.dataDir);
    }
    try {
      database = await openDatabase(
        config.databaseUrl
          ? { databaseUrl: config.databaseUrl }
          : { pgliteDir: embeddedDirectory(config.dataDir) },
      );
      if (!mayCreate && !(await hasSwitchboardTables(database.db))) {
        await database.close();
        throw new NoDatabase(config);
      }
      await migrateToLatest(database.db);
    } catch (error) {
      unlock();
      throw error;
    }
  } else {
    await migrateToLatest(database.db);
  }
  const openDatabaseHandle = database;
  const secrets = new SecretBox(loadOrCreateSecretKey(config.secretKey, config.dataDir));
  // ioredis loads only when Redis is configured, as node-postgres does.
  const redis = config.redisUrl
    ? new (await import('ioredis')).Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 2 })
    : undefined;
  const db = openDatabaseHandle.db;
  const jobs = new Jobs({ db, clock, log, onFailure: (name) => metrics.countJobFailure(name) });
  const outbox = new Outbox(db, secrets, jobs);
  jobs.register(
    deliverMessageJob({
      db,
      secrets,
      drivers: driversFor(config),
      log,
      retentionDays: config.outboxRetentionDays,
    }),
  );
  jobs.register(purgeOutboxJob(db));
  jobs.register(purgeJobsJob(jobs.store));
  jobs.register(sweepExpiredJob(db));
  const audit = new AuditLog(db, jobs);
  const auditEvents = new AuditEvents({ db, clock, secrets, audit, policy: outboundPolicy(config) });
  jobs.register(auditWebhookJob(auditEvents));
  jobs.register(auditRetentionJob(auditEvents, config.auditRetentionDays));
  const usageSummary = new UsageSummaryService(db, clock, outbox, audit);
  jobs.register(usageSummaryEmailJob(usageSummary));
  const invoices = new InvoiceService(db, clock, outbox, audit, {
    operatorName: config.operatorName,
    publicUrl: config.publicUrl,
  });
  jobs.register(issueInvoicesJob(invoices));
  const events = new EventBus(jobs);
  const ledger = new Ledger(db, events);
  events.duringTransaction(
    'account.status_changed',
    trialCreditOnActivation(db, ledger, config.trialCreditMicros),
  );
  const balanceAlerts = new BalanceAlerts({
    db,
    clock,
    secrets,
    outbox,
    jobs,
    audit,
    defaultThresholdsMicros: config.balanceAlertThresholdsMicros,
    policy: outboundPolicy(config),
  });
  events.duringTransaction('ledger.balances_changed', (event) => balanceAlerts.onBalancesChanged(event));
  jobs.register(balanceAlertWebhookJob(balanceAlerts));
  const rentals = new Rentals(db, ledger, clock);
  events.duringTransaction('ledger.credited', (event) => rentals.settleOwed(event));
  jobs.register(renewRentalsJob(rentals));
  const prices = new Prices(db, config.currency);
  const unlistenPrices = await openDatabaseHandle.listen(PRICES_CHANGED_CHANNEL, () => prices.forget());
  const engines = new EngineService(db, secrets, clock, audit);
  const unlistenEngines = await openDatabaseHandle.listen(ENGINES_CHANGED_CHANNEL, (engineId) =>
    engines.forget(engineId === '*' || engineId === '' ? undefined : engineId),
  );
  const usage = new UsageCharging(db, prices, ledger, clock);
  const credit = new CreditControl(db, clock, usage, jobs, outbox, audit, {
    intervalSeconds: config.creditIntervalSeconds,
    maxSessions: config.creditMaxSessions,
    maxDestinationRateMicros: config.creditMaxDestinationRateMicros,
  });
  jobs.register(renewHoldsJob(credit));
  jobs.register(expireSessionsJob(credit));
  jobs.register(spendCapAlertsJob(credit));
  jobs.register(disconnectJob(engines, clock, (engineId, ids) => voice.store.dialogs(engineId, ids)));
  jobs.register(raiseBoundJob(engines, (engineId, session) => voice.bound(engineId, session)));
  // A credit extends calls whose renewal fell short; a suspension or closure ends every call.
  events.afterCommit('ledger.credited', 'renew-credit-sessions', (event) =>
    credit.renewAccount(event.accountId),
  );
  events.duringTransaction('account.status_changed', async (event) => {
    if (event.to === 'suspended' || event.to === 'closed')
      await credit.disconnectAccount(
        event.accountId,
        event.to === 'suspended' ? 'account_suspended' : 'account_closed',
      );
  });
  const payments = new Payments(
    db,
    config.paymentGateway === 'stripe' && config.stripe
      ? new StripeGateway(config.stripe)
      : config.paymentGateway === 'test'
        ? new TestGateway(db, config.publicUrl)
        : new NoGateway(),
    ledger,
    outbox,
    audit,
    clock,
    { minMicros: config.rechargeMinMicros, maxMicros: config.rechargeMaxMicros },
    config.publicUrl,
  );
  jobs.register(reconcilePaymentsJob(payments));
  const autoRecharge = new AutoRecharge(
    db,
    payments,
    jobs,
    events,
    audit,
    clock,
    { minMicros: config.rechargeMinMicros, maxMicros: config.rechargeMaxMicros },
    config.autoRechargeMaxFailures,
  );
  jobs.register(autoRechargeJob(autoRecharge, config.autoRechargeMaxFailures));
  events.duringTransaction('ledger.balances_changed', (event) => autoRecharge.onBalancesChanged(event));
  const inactivity = new InactivityPolicy(
    { db, clock, outbox, audit, payments, autoRecharge },
    { warnDays: config.inactiveWarnDays, removeDays: config.inactiveRemoveDays },
  );
  jobs.register(inactivityReviewJob(inactivity));
  const vpnDenylist = CidrList.fromFile(config.vpnDenylistFile);
  const riskDenylist = loadRiskDenylist(config.riskDenylistFile);
  const lifecycle = new AccountLifecycle(db, clock, audit, events);
  const accounts = new AccountService(
    db,
    clock,
    outbox,
    audit,
    () => riskDenylist,
    config.reviewRules,
    lifecycle,
    events,
    config.currency,
  );
  const throttle = createThrottle(redis);
  const support = new SupportService({ db, clock, secrets, outbox, audit, throttle, config });
  const suspensions = new Suspensions(db, clock, lifecycle, accounts.store, outbox, support);
  events.duringTransaction('billing.payment_failed', (event) => suspensions.onPaymentFailed(event));
  const ipCountries = IpCountries.fromFile(config.ipCountriesFile);
  const suspiciousActivity = new SuspiciousActivity(
    { db, clock, audit, suspensions, usage: usageSummary.store, ipCountries: () => ipCountries },
    {
      spendFactor: config.suspiciousSpendFactor,
      spendMinMicros: config.suspiciousSpendMinMicros,
      signInCountries: config.suspiciousSignInCountries,
      action: config.suspiciousAction,
    },
  );
  jobs.register(suspiciousActivityJob(suspiciousActivity));
  events.duringTransaction('account.status_changed', (event) => suspiciousActivity.onStatusChanged(event));
  const credentials = new CredentialService(
    db,
    secrets,
    clock,
    outbox,
    audit,
    (accountId) => accounts.store.securityContacts(accountId),
    events,
  );
  const apiKeys = new ApiKeys(db, secrets, clock, audit, events, new SubaccountStore(db));
  const accountCache = new AccountCache(new GateStore(db), credentials.store, apiKeys.store, secrets);
  const forget = (authId: string) => accountCache.invalidate(authId);
  const hear = (authId: string) => accountChanges(db).emit('changed', authId);
  accountChanges(db).on('changed', forget);
  for (const name of gateInvalidatingEvents)
    events.duringTransaction(name, (event) => announceAccountChange(db, event.accountId));
  const unlisten = await openDatabaseHandle.listen(ACCOUNT_CHANGED_CHANNEL, hear);
  const requestLog = new RequestLog(db, credentials.store, apiKeys.store, log, (accountIds, at) =>
    inactivity.recordActivity(accountIds, at),
  );
  jobs.register(flushRequestLogJob(requestLog));
  jobs.register(purgeRequestLogJob(requestLog, config.apiLogRetentionDays));
  const metrics = new Metrics(
    {
      outboxBacklog: () => outbox.backlog(),
      jobBacklog: () => jobs.backlog(),
      jobsAlive: () => jobs.alive(),
      databaseWaiting: () => openDatabaseHandle.waiting(),
      databaseKind: openDatabaseHandle.kind,
    },
    { processMetrics: config.metricsToken !== undefined },
  );
  const rateCounter = redis ? redisRateCounter(redis) : memoryRateCounter();
  const gate = createGate({
    cache: accountCache,
    counter: rateCounter,
    requestLog,
    throttle,
    audit,
    clock,
    defaultLimits: { ...config.rateLimits, message_request: config.messageRequestLimit },
    countRateLimitRefusal: metrics.countRateLimitRefusal,
  });
  // The carrier: the operator's SMSC (connected by startMessaging), else development's outbox.
  const smsc = config.smscUrl ? new LazyCarrier() : undefined;
  let carrier: MessageCarrier;
  if (smsc) carrier = smsc;
  else if (config.environment === 'development') {
    const outboxCarrier = new OutboxCarrier(outbox, jobs, clock);
    jobs.register(outboxCarrier.job());
    carrier = outboxCarrier;
  } else carrier = new NoCarrier();
  const messageDispatcher = new MessageDispatcher({
    db,
    clock,
    log,
    store: new MessageStore(db),
    carrier,
    counter: rateCounter,
    defaultRate: config.rateLimits.message,
    usage,
    credit,
    jobs,
  });
  const messaging = new Messaging(
    db,
    clock,
    usage,
    credit,
    jobs,
    { expirySeconds: config.messageExpirySeconds, policy: outboundPolicy(config) },
    messageDispatcher.wake,
  );
  const voice = new Voice(db, clock, secrets, credit, jobs, {
    sipDomain: config.sipDomain,
    carrierUri: config.sipCarrierUri,
    carrierAddresses: config.sipCarrierAddresses,
  });
  const callbackDeps = { db, store: messaging.store, secrets, policy: outboundPolicy(config) };
  jobs.register(statusCallbackJob(callbackDeps));
  jobs.register(inboundCallbackJob(callbackDeps));
  // Credit arriving releases scheduled messages held for want of it.
  events.afterCommit('ledger.credited', 'release-held-messages', async (event) => {
    if ((await messageDispatcher.promoteScheduled(event.accountId)) > 0) messageDispatcher.wake();
  });
  const sessions = new Sessions(db, secrets, clock, {
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
  });
  const deps: IdentityDeps = {
    config,
    db,
    clock,
    secrets,
    outbox,
    audit,
    throttle,
    credentials,
    flows: new Flows(db, secrets, clock),
    sessions,
    store: new IdentityStore(db),
    passkeys: new Passkeys({ db, clock, secrets, audit, throttle, config }),
    accounts,
    vpnDenylist: () => vpnDenylist,
    recordSignIn: (accountId, at) => inactivity.recordActivity([accountId], at),
  };
  const sso = new SsoService(deps, new TeamStore(db), options.fetch ?? fetch);
  const team = new TeamService(deps, sso);
  const signIn = new SignIn(deps, sso);
  const secureAccount = new SecureAccount({
    db,
    clock,
    outbox,
    audit,
    credentials,
    signIn,
    team,
    payments,
    usageSummary,
    accounts,
  });
  const subaccounts = new SubaccountService(db, clock, audit, credentials, events);
  const endpoints = new EndpointService(db, secrets, audit, config.sipDomain, () => clock.now());
  const numbers = new NumberService(db, clock, audit, subaccounts, rentals, credit);
  const applications = new ApplicationService(db, audit, subaccounts, endpoints, numbers);
  // What a subaccount holds goes (or refuses its deletion) in this order: endpoints, numbers, applications.
  events.duringTransaction('subaccount.deleting', (event) => endpoints.subaccountDeleting(event));
  events.duringTransaction('subaccount.deleting', (event) => numbers.subaccountDeleting(event));
  events.duringTransaction('subaccount.deleting', (event) => applications.subaccountDeleting(event));
  events.duringTransaction('account.status_changed', (event) => suspensions.onClosed(event));
  const calendar = new BusinessCalendar(config.operatorHolidays);
  const refunds = new Refunds(db, {
    clock,
    ledger,
    gateway: payments.gateway,
    jobs,
    audit,
    calendar,
    payments,
  });
  jobs.register(issueRefundJob(refunds));
  jobs.register(
    financialRetentionJob(new FinancialRetention({ db, clock, audit }, config.financialRetentionYears)),
  );
  // What closing removes, in this order: endpoints before the applications they hang on.
  const closure = new AccountClosure(db, {
    clock,
    lifecycle,
    refunds,
    accounts: accounts.store,
    outbox,
    calendar,
    refundBusinessDays: REFUND_BUSINESS_DAYS,
    steps: [
      { what: 'endpoints', run: (id) => endpoints.store.removeAllOf(id) },
      { what: 'applications', run: (id) => applications.store.removeAllOf(id) },
      { what: 'numbers', run: (id) => numbers.releaseAllOf(id) },
      { what: 'subaccounts', run: (id) => subaccounts.removeAllOf(id) },
      { what: 'apiLogs', run: (id) => requestLog.forgetAccount(id) },
      { what: 'ssoConnections', run: (id) => sso.store.retireAllOf(id) },
      { what: 'sessions', run: (id) => sessions.revokeAllInAccount(id) },
      { what: 'messages', run: (id) => messaging.store.removeAllOf(id) },
      { what: 'calls', run: (id) => voice.store.removeAllOf(id) },
      { what: 'apiKeys', run: (id) => apiKeys.store.removeAllOf(id) },
      { what: 'auditWebhook', run: async (id) => ((await auditEvents.store.removeWebhook(id)) ? 1 : 0) },
    ],
  });
  return {
    config,
    log,
    database: openDatabaseHandle,
    clock,
    secrets,
    outbox,
    jobs,
    events,
    ledger,
    prices,
    transactions: new TransactionHistory(db),
    credits: new CreditAdjustments(db, ledger, audit),
    rentals,
    priceDecks: new PriceDeckService(db, clock, audit, prices, numbers),
    usageSummary,
    engines,
    invoices,
    usage,
    credit,
    messaging,
    messageDispatcher,
    voice,
    async startMessaging() {
      if (smsc && config.smscUrl)
        smsc.connect(
          await SmscConnection.open({
            url: config.smscUrl,
            submitsPerSecond: config.smscSubmitsPerSecond,
            rebindSeconds: config.smscRebindSeconds,
          }),
        );
      messageDispatcher.start();
    },
    suspensions,
    refunds,
    closure,
    balanceAlerts,
    payments,
    autoRecharge,
    secureAccount,
    inactivity,
    staffJobs: new StaffJobs(db, jobs, audit),
    sessions,
    accounts,
    credentials,
    apiKeys,
    gate,
    requestLog,
    ipWhitelist: new IpWhitelistService(db, audit, events),
    apiLogs: new ApiLogService(db, clock),
    rateLimits: new RateLimitService(db, audit, config.rateLimits, events),
    audit,
    auditEvents,
    metrics,
    provisioning: new AccountProvisioning(deps),
    team,
    subaccounts,
    senderIds: new SenderIdService(db, audit),
    applications,
    endpoints,
    numbers,
    onboarding: new Onboarding(deps),
    signIn,
    security: new SecuritySettings(deps),
    staff: new StaffService(deps),
    sso,
    support,
    suspiciousActivity,
    async close() {
      // Closing the carrier ends the submits the dispatcher's last round waits for.
      const dispatcherStopped = messageDispatcher.stop();
      await carrier.close();
      await dispatcherStopped;
      await jobs.stop();
      await requestLog.flush();
      await unlisten();
      await unlistenPrices();
      await unlistenEngines();
      accountChanges(db).off('changed', forget);
      redis?.disconnect();
      await openDatabaseHandle.close();
      unlock();
    },
  };
}
