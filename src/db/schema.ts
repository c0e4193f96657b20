import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<Record<string, unknown>, string, string>;

export type AccountStatus =
  | 'pending_verification'
  | 'under_review'
  | 'active'
  | 'rejected'
  | 'suspended'
  | 'closed';
export type Role = 'owner' | 'admin' | 'developer' | 'support' | 'financial_analyst';
export type StaffRole = 'staff_admin' | 'agent';
export type SessionStage = 'onboarding' | 'second_factor' | 'password_change' | 'full';
export type Channel = 'email' | 'sms' | 'voice';

export interface AccountsTable {
  id: string;
  auth_id: string;
  name: string;
  status: AccountStatus;
  review_reason: string | null;
  review_note: string | null;
  company_name: string | null;
  website: string | null;
  country: string | null;
  intended_use: string | null;
  signup_ip: string | null;
  created_at: CreatedAt;
  activated_at: Timestamp | null;
  reviewed_at: Timestamp | null;
  city: Generated<string>;
  address: Generated<string>;
  state: Generated<string>;
  timezone: Generated<string>;
  ip_whitelist_enabled: Generated<boolean>;
  /** Set on subaccounts: the main account they belong to. */
  parent_account_id: string | null;
  enabled: Generated<boolean>;
  modified_at: Timestamp | null;
  deleted_at: Timestamp | null;
  /** ISO 4217; a subaccount's is its main account's. */
  currency: string;
  /** The ledger's sum for a main account (always 0 for a subaccount), kept with the entries it reflects. */
  balance_micros: Generated<bigint>;
  /** A main account's open credit sessions' holds, kept with them (migration 0020). */
  held_micros: Generated<bigint>;
  /** The last sign-in or API use; the inactive account policy counts from it (migration 0022). */
  last_active_at: Timestamp | null;
  /** The inactive account policy's warning, and the removal that flagged the account for staff. */
  inactivity_warned_at: Timestamp | null;
  inactivity_flagged_at: Timestamp | null;
  /** When the account was closed (migration 0024); its status says closed. */
  closed_at: Timestamp | null;
  /** When a closed account's financial records and personal data were deleted after the retention (migration 0026). */
  purged_at: Timestamp | null;
}

export interface UsersTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  email_verified_at: Timestamp | null;
  phone_e164: string | null;
  phone_verified_at: Timestamp | null;
  phone_factor_enabled: Generated<boolean>;
  totp_secret_encrypted: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: bigint | null;
  created_at: CreatedAt;
  password_changed_at: Generated<Date>;
  /** Set by "Secure my account": the next sign-in asks for a new password first (migration 0022). */
  must_change_password: Generated<boolean>;
}

export interface MembershipsTable {
  account_id: string;
  user_id: string;
  role: Role;
  created_at: CreatedAt;
  /** The member asked for the daily usage summary email (migration 0016). */
  usage_summary_email: Generated<boolean>;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_digest: string;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface StaffMembersTable {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  password_hash: string | null;
  totp_secret_encrypted: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: bigint | null;
  created_at: CreatedAt;
  disabled_at: Timestamp | null;
}

export interface FlowsTable {
  id: string;
  purpose: string;
  user_id: string | null;
  staff_id: string | null;
  token_digest: string | null;
  code_digest: string | null;
  data: Json;
  state: Generated<string>;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  sent_count: Generated<number>;
  last_sent_at: Timestamp | null;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  id: string;
  token_digest: string;
  principal: 'user' | 'staff';
  user_id: string | null;
  staff_id: string | null;
  account_id: string | null;
  stage: SessionStage;
  ip: string | null;
  user_agent: string | null;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  reauthenticated_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** A WebAuthn credential of a user or a staff member (migration 0031). */
export interface PasskeysTable {
  id: string;
  user_id: string | null;
  staff_id: string | null;
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  counter: ColumnType<bigint, bigint | undefined, bigint>;
  transports: ColumnType<string[], string, string>;
  user_handle: string;
  name: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
}

export type PasskeyPurpose = 'enrol' | 'second_factor' | 'sign_in';

/** A WebAuthn ceremony's challenge, single use, bound to a session or a browser (migration 0031). */
export interface PasskeyChallengesTable {
  id: string;
  principal: 'user' | 'staff';
  purpose: PasskeyPurpose;
  session_id: string | null;
  browser_digest: string | null;
  challenge: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface KnownDevicesTable {
  user_id: string;
  device_digest: string;
  first_seen_at: CreatedAt;
  last_seen_at: Timestamp;
}

export interface AuditEventsTable {
  id: Generated<bigint>;
  account_id: string | null;
  user_id: string | null;
  staff_id: string | null;
  /** The Auth ID whose API credentials made the change (changes through /v1). */
  api_auth_id: Generated<string | null>;
  action: string;
  ip: string | null;
  user_agent: string | null;
  details: Json;
  created_at: CreatedAt;
}

/** A main account's audit webhook: every new audit event of the account and its subaccounts is POSTed, signed. */
export interface AuditWebhooksTable {
  account_id: string;
  url: string;
  /** The signing secret, encrypted with the server key. */
  secret_encrypted: string;
  updated_at: Generated<Date>;
}

export interface OutboxMessagesTable {
  id: Generated<bigint>;
  channel: Channel;
  recipient: string;
  subject: string;
  body_encrypted: string;
  status: Generated<'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  purge_after: Timestamp | null;
}

export type JobState = 'queued' | 'running' | 'completed' | 'failed';

export interface JobsTable {
  id: Generated<bigint>;
  name: string;
  key: string | null;
  payload: Json;
  state: Generated<JobState>;
  attempts: Generated<number>;
  max_attempts: number;
  run_at: ColumnType<Date, Date | undefined, Date>;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: CreatedAt;
  finished_at: Timestamp | null;
}

export type RateClass = 'standard' | 'lookup' | 'message';

export interface AuthTokensTable {
  id: string;
  account_id: string;
  token_encrypted: string;
  token_digest: string;
  created_at: CreatedAt;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

/** What an API key may do: everything its account may, or the listed actions on each resource. */
export type ApiKeyPermissions =
  | { full_access: true }
  | { full_access: false; grants: Record<string, string[]> };

/** A restricted API key (migration 0029). */
export interface ApiKeysTable {
  id: string;
  account_id: string;
  key_id: string;
  name: string;
  secret_encrypted: string;
  secret_digest: string;
  permissions: ColumnType<ApiKeyPermissions, string, string>;
  source_cidrs: ColumnType<string[], string[] | undefined, string[]>;
  expires_at: Timestamp | null;
  created_at: CreatedAt;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
}

export interface IpWhitelistEntriesTable {
  id: string;
  account_id: string;
  cidr: string;
  created_at: CreatedAt;
  created_by: string | null;
}

export interface RateLimitsTable {
  account_id: string;
  rate_class: RateClass;
  requests_per_second: number;
  updated_by_staff: string | null;
  updated_at: Generated<Date>;
}

/** One flush of an account's /v1 requests (migration 0010 has the layout). */
/** Failed /v1 authentications against an account's Auth ID, per source address and hour (migration 0011). */
export interface ApiAuthFailuresTable {
  account_id: string;
  ip: string;
  hour: Timestamp;
  first_at: Timestamp;
  last_at: Timestamp;
  count: number;
}

export interface ApiRequestBatchesTable {
  id: Generated<bigint>;
  account_id: string;
  first_at: Timestamp;
  last_at: Timestamp;
  request_count: number;
  /** The first 24 characters of every api_id in the batch. */
  api_id_prefix: string;
  /** JSON: [[method, path], ...], the requests' method and path by position. */
  paths: ColumnType<unknown, string, never>;
  /** JSON: ["192.0.2.1", ...], the requests' addresses by position. */
  ips: ColumnType<unknown, string, never>;
  /** JSON: [[api_id_counter, path_position, status, ip_position, duration_ms, ms_after_first_at], ...], written as its UTF-8 bytes. */
  requests: ColumnType<unknown, Buffer, never>;
}

export interface InvitationsTable {
  id: string;
  account_id: string;
  email: string;
  token_digest: string;
  role: Exclude<Role, 'owner'>;
  invited_by: string | null;
  created_at: CreatedAt;
  last_sent_at: ColumnType<Date, Date | string | undefined, Date | string>;
  accepted_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export type SsoProtocol = 'oidc' | 'saml';

export interface SsoSettingsTable {
  account_id: string;
  enabled_at: Timestamp | null;
  enabled_by_staff: string | null;
  require_sso: Generated<boolean>;
  jit_role: Exclude<Role, 'owner'> | null;
  updated_at: Generated<Date>;
}

export interface SsoConnectionsTable {
  id: string;
  account_id: string;
  protocol: SsoProtocol;
  status: 'testing' | 'active' | 'retired';
  oidc_issuer: string | null;
  oidc_client_id: string | null;
  oidc_client_secret_encrypted: string | null;
  saml_entity_id: string | null;
  saml_sso_url: string | null;
  saml_certificates: string | null;
  saml_metadata_url: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  activated_at: Timestamp | null;
  retired_at: Timestamp | null;
}

export interface SsoAttemptsTable {
  id: string;
  account_id: string;
  connection_id: string;
  purpose: 'sign_in' | 'test';
  handle_digest: string;
  browser_digest: string;
  saml_request_id: string | null;
  oidc_nonce: string | null;
  oidc_code_verifier_encrypted: string | null;
  requested_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface ApplicationsTable {
  id: string;
  app_id: string;
  account_id: string;
  subaccount_id: string | null;
  app_name: string;
  answer_url: Generated<string>;
  answer_method: Generated<string>;
  hangup_url: Generated<string>;
  hangup_method: Generated<string>;
  fallback_answer_url: Generated<string>;
  fallback_method: Generated<string>;
  message_url: Generated<string>;
  message_method: Generated<string>;
  default_number_app: Generated<boolean>;
  default_endpoint_app: Generated<boolean>;
  log_incoming_messages: Generated<boolean>;
  public_uri: Generated<boolean>;
  created_at: CreatedAt;
}

export interface EndpointsTable {
  id: string;
  endpoint_id: string;
  account_id: string;
  subaccount_id: string | null;
  application_id: string | null;
  username: string;
  alias: string;
  sip_ha1_encrypted: string;
  created_at: CreatedAt;
}

export type NumberType = 'local' | 'tollfree' | 'mobile';
/** DATE columns come back as 'YYYY-MM-DD' strings from both drivers. */
type Day = string;

/** A phone number of the operator's inventory; account_id is set while a customer rents it. */
export interface NumbersTable {
  id: string;
  /** E.164 digits without "+", as Plivo shows numbers. */
  number: string;
  country_iso: string;
  number_type: NumberType;
  region: string;
  city: string | null;
  rate_center: string | null;
  voice_enabled: boolean;
  sms_enabled: boolean;
  mms_enabled: boolean;
  monthly_rental_micros: bigint;
  voice_rate_micros: Generated<bigint>;
  sms_rate_micros: Generated<bigint>;
  mms_rate_micros: Generated<bigint>;
  account_id: string | null;
  subaccount_id: string | null;
  application_id: string | null;
  alias: string | null;
  added_on: Day | null;
  renewal_date: Day | null;
  loaded_at: CreatedAt;
}

export interface SenderIdsTable {
  id: string;
  subaccount_id: string;
  sender_id: string;
  kind: 'alphanumeric' | 'number';
  created_at: CreatedAt;
}

export type LedgerEntryKind =
  | 'trial_credit'
  | 'recharge'
  | 'charge'
  | 'rental'
  | 'refund'
  | 'adjustment'
  | 'reversal';
export type UsageProduct = 'voice' | 'sms' | 'mms';
export type UsageDirection = 'outbound' | 'inbound';
/** A price row's number type; '' is any type. */
export type PricedNumberType = '' | 'local' | 'tollfree' | 'mobile' | 'ip';

/** One movement of money on a main account's ledger: append-only, never updated or deleted. */
export interface LedgerEntriesTable {
  id: Generated<bigint>;
  account_id: string;
  subaccount_id: string | null;
  kind: LedgerEntryKind;
  /** Signed: credits positive, charges negative. */
  amount_micros: bigint;
  currency: string;
  idempotency_key: string;
  /** Who or what moved the money: "staff:<id>", "member:<user id>", "engine:<id>", "system", "cli". */
  caused_by: string;
  reference: string | null;
  description: string | null;
  created_at: CreatedAt;
}

export interface OwedRentalsTable {
  id: string;
  account_id: string;
  subaccount_id: string | null;
  number: string;
  period_start: Day;
  amount_micros: bigint;
  created_at: CreatedAt;
}

export interface PriceDecksTable {
  id: string;
  loaded_by: string;
  row_count: number;
  loaded_at: CreatedAt;
}

export interface PricesTable {
  id: Generated<bigint>;
  deck_id: string;
  country_iso: string;
  product: UsageProduct;
  direction: UsageDirection;
  number_type: PricedNumberType;
  /** Destination digits, country code included; '' is the country's default. */
  prefix: string;
  /** Per minute for voice, per segment for messages. */
  rate_micros: bigint;
  connect_fee_micros: bigint;
  initial_increment: number;
  subsequent_increment: number;
  effective_from: Timestamp;
}

export interface EnginesTable {
  id: string;
  name: string;
  key_digest: string;
  created_by: string;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** Where the disconnect webhook goes (migration 0020). */
  disconnect_url: string | null;
  /** The webhook's signing secret, encrypted under the server key. */
  signing_secret_encrypted: string | null;
  /** How the engine is told to end sessions (migration 0028). */
  disconnect_protocol: Generated<DisconnectProtocol>;
}

export type DisconnectProtocol = 'webhook' | 'kamailio-jsonrpc';

export interface UsageRecordsTable {
  engine_id: string;
  event_id: string;
  batch_id: string;
  account_id: string;
  subaccount_id: string | null;
  product: UsageProduct;
  direction: UsageDirection;
  from_number: string;
  to_number: string;
  number_type: PricedNumberType;
  country_iso: string;
  prefix: string;
  quantity: bigint;
  /** Seconds after increments for voice; segments for messages. */
  billed_quantity: bigint;
  rate_micros: bigint;
  amount_micros: bigint;
  started_at: Timestamp;
  /** started_at's day in the account's time zone. */
  day: Day;
  charged_at: CreatedAt;
}

export interface UsageDailyTable {
  account_id: string;
  subaccount_id: string | null;
  day: Day;
  product: UsageProduct | 'numbers';
  direction: UsageDirection | 'none';
  events: bigint;
  quantity: bigint;
  amount_micros: bigint;
}

/** A daily usage summary sent for an account's local day: the claim that sends it once. */
export interface UsageSummaryEmailsTable {
  account_id: string;
  day: Day;
  recipients: number;
  sent_at: CreatedAt;
}

/** A main account's balance alert settings (migration 0017; the defaults are a setting, not rows). */
export interface BalanceAlertSettingsTable {
  account_id: string;
  /** Up to 3 custom thresholds, micro-units of the account's currency. */
  thresholds_micros: bigint[];
  /** Up to 5 more addresses the alerts go to. */
  emails: string[];
  webhook_url: string | null;
  /** The webhook's signing secret, encrypted with the server key. */
  webhook_secret_encrypted: string | null;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type PaymentGatewayName = 'test' | 'stripe' | 'none';
export type PaymentPurpose = 'recharge' | 'auto_recharge';
export type PaymentStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'refused';

/** The account's customer at the payment gateway (migration 0019). */
export interface PaymentCustomersTable {
  account_id: string;
  gateway: PaymentGatewayName;
  customer_ref: string;
  created_at: CreatedAt;
}

/** A saved card: the gateway's reference and what may be shown of it. */
export interface PaymentMethodsTable {
  id: string;
  account_id: string;
  gateway: PaymentGatewayName;
  gateway_ref: string;
  brand: string;
  last4: string;
  exp_month: number;
  exp_year: number;
  added_by: string;
  created_at: CreatedAt;
  removed_at: Timestamp | null;
}

/** A recharge or auto-recharge, credited to the ledger once when the gateway says it succeeded. */
export interface PaymentsTable {
  id: string;
  number: Generated<bigint>;
  account_id: string;
  payment_method_id: string | null;
  purpose: PaymentPurpose;
  gateway: PaymentGatewayName;
  gateway_ref: string | null;
  amount_micros: bigint;
  currency: string;
  status: PaymentStatus;
  failure_reason: string | null;
  /** Where the payer completes an extra confirmation step (status requires_action). */
  action_url: string | null;
  requested_by: string;
  /** The console's key for one recharge request: a repeated request answers the same payment. */
  request_key: string | null;
  credited_at: Timestamp | null;
  reversed_at: Timestamp | null;
  reversal_reason: string | null;
  created_at: CreatedAt;
  updated_at: Generated<Date>;
}

export interface AutoRechargeSettingsTable {
  account_id: string;
  enabled: boolean;
  threshold_micros: bigint;
  /** fixed: recharge amount_micros; target: recharge up to a balance of amount_micros. */
  mode: 'fixed' | 'target';
  amount_micros: bigint;
  daily_cap_micros: bigint;
  monthly_cap_micros: bigint;
  payment_method_id: string | null;
  consecutive_failures: Generated<number>;
  updated_by: string;
  updated_at: Generated<Date>;
}

/** The built-in test gateway's saved cards (its own state, as a gateway keeps it). */
export interface TestGatewayCardsTable {
  ref: string;
  customer_ref: string;
  last4: string;
  brand: string;
  exp_month: number;
  exp_year: number;
  behaviour: 'succeed' | 'decline' | 'confirm' | 'fail_charges';
  created_at: CreatedAt;
}

export interface TestGatewayIntentsTable {
  ref: string;
  card_ref: string;
  idempotency_key: string;
  amount_minor: bigint;
  currency: string;
  payment_id: string;
  status: 'requires_action' | 'succeeded' | 'failed' | 'refunded';
  failure_reason: string | null;
  created_at: CreatedAt;
  /** What the merchant refunded of it so far (migration 0024). */
  amount_refunded_minor: Generated<bigint>;
}

/** A refund the test gateway made of one of its payments (migration 0024). */
export interface TestGatewayRefundsTable {
  ref: string;
  intent_ref: string;
  idempotency_key: string;
  amount_minor: bigint;
  created_at: CreatedAt;
}

/** A numbering sequence of invoices (migration 0018): the row the issuing transaction locks. */
export interface InvoiceCountersTable {
  sequence: string;
  last_number: bigint;
}

/** A monthly invoice as issued: never updated (a trigger refuses it). */
export interface InvoicesTable {
  id: string;
  number: bigint;
  account_id: string;
  /** The local calendar month's first day. */
  period: Day;
  timezone: string;
  period_start: Timestamp;
  period_end: Timestamp;
  currency: string;
  opening_micros: bigint;
  debits_micros: bigint;
  credits_micros: bigint;
  closing_micros: bigint;
  facts: Json;
  pdf: ColumnType<Uint8Array, Uint8Array, never>;
  pdf_sha256: string;
  issued_at: CreatedAt;
}

export type MessageState =
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'canceled'
  | 'received';

/** One message to or from one number (migration 0027); its id is Plivo's message_uuid. */
export interface MessagesTable {
  id: string;
  account_id: string;
  subaccount_id: string | null;
  direction: 'outbound' | 'inbound';
  message_type: Generated<string>;
  from_number: string;
  to_number: string;
  body: string;
  log: Generated<boolean>;
  encoding: 'GSM' | 'UCS2';
  units: number;
  currency: string;
  country_iso: Generated<string>;
  prefix: Generated<string>;
  rate_micros: Generated<bigint>;
  amount_micros: Generated<bigint>;
  held_micros: Generated<bigint>;
  state: MessageState;
  error_code: number | null;
  held_reason: string | null;
  callback_url: string | null;
  callback_method: Generated<'GET' | 'POST'>;
  expiry_seconds: number;
  send_at: Timestamp | null;
  send_after: Timestamp;
  expires_at: Timestamp;
  claimed_at: Timestamp | null;
  requester_ip: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
  updated_at: Timestamp;
}

/** Where an endpoint is registered, as the SIP server reports it (migration 0028). */
export interface SipRegistrationsTable {
  endpoint_id: string;
  contact: string;
  user_agent: Generated<string>;
  received: string | null;
  registered_at: Timestamp;
  expires_at: Timestamp;
}

export type CallState = 'ringing' | 'in-progress' | 'completed';

/** A call the SIP server asked about: its route, its times and what it cost (migration 0028). */
export interface CallsTable {
  id: string;
  engine_id: string;
  sip_call_id: string;
  account_id: string;
  subaccount_id: string | null;
  direction: 'outbound' | 'inbound';
  from_number: string;
  to_number: string;
  caller_endpoint_id: string | null;
  route: 'endpoint' | 'carrier';
  target: string;
  state: CallState;
  initiated_at: Timestamp;
  answered_at: Timestamp | null;
  ended_at: Timestamp | null;
  duration_seconds: number | null;
  billed_duration_seconds: number | null;
  currency: string;
  rate_micros: Generated<bigint>;
  amount_micros: Generated<bigint>;
  hangup_cause: string | null;
  hangup_source: string | null;
  sip_code: number | null;
  dialog_entry: number | null;
  dialog_id: bigint | null;
}

/** The carrier's id of each part a message was submitted in. */
export interface MessagePartsTable {
  carrier_message_id: string;
  message_id: string;
  part: number;
  state: Generated<string>;
}

/** A state a message went through: the console's delivery timeline. */
export interface MessageEventsTable {
  id: Generated<bigint>;
  message_id: string;
  state: string;
  error_code: number | null;
  detail: Generated<string>;
  at: Timestamp;
}

export interface Database {
  accounts: AccountsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  recovery_codes: RecoveryCodesTable;
  staff_members: StaffMembersTable;
  flows: FlowsTable;
  sessions: SessionsTable;
  known_devices: KnownDevicesTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
  audit_events: AuditEventsTable;
  audit_webhooks: AuditWebhooksTable;
  outbox_messages: OutboxMessagesTable;
  auth_tokens: AuthTokensTable;
  api_keys: ApiKeysTable;
  ip_whitelist_entries: IpWhitelistEntriesTable;
  rate_limits: RateLimitsTable;
  api_request_batches: ApiRequestBatchesTable;
  api_auth_failures: ApiAuthFailuresTable;
  invitations: InvitationsTable;
  applications: ApplicationsTable;
  endpoints: EndpointsTable;
  sender_ids: SenderIdsTable;
  numbers: NumbersTable;
  sso_settings: SsoSettingsTable;
  sso_connections: SsoConnectionsTable;
  sso_attempts: SsoAttemptsTable;
  jobs: JobsTable;
  ledger_entries: LedgerEntriesTable;
  owed_rentals: OwedRentalsTable;
  price_decks: PriceDecksTable;
  prices: PricesTable;
  engines: EnginesTable;
  usage_records: UsageRecordsTable;
  usage_daily: UsageDailyTable;
  usage_summary_emails: UsageSummaryEmailsTable;
  balance_alert_settings: BalanceAlertSettingsTable;
  payment_customers: PaymentCustomersTable;
  payment_methods: PaymentMethodsTable;
  payments: PaymentsTable;
  auto_recharge_settings: AutoRechargeSettingsTable;
  test_gateway_cards: TestGatewayCardsTable;
  test_gateway_intents: TestGatewayIntentsTable;
  test_gateway_refunds: TestGatewayRefundsTable;
  invoice_counters: InvoiceCountersTable;
  invoices: InvoicesTable;
  credit_sessions: CreditSessionsTable;
  messages: MessagesTable;
  sip_registrations: SipRegistrationsTable;
  calls: CallsTable;
  message_parts: MessagePartsTable;
  message_events: MessageEventsTable;
  credit_limits: CreditLimitsTable;
  spend_cap_alerts: SpendCapAlertsTable;
  account_suspensions: AccountSuspensionsTable;
  refunds: RefundsTable;
  support_tickets: SupportTicketsTable;
  support_messages: SupportMessagesTable;
  support_attachments: SupportAttachmentsTable;
  support_access_links: SupportAccessLinksTable;
  suspicious_activity_flags: SuspiciousActivityFlagsTable;
}

export type CreditSessionStatus = 'open' | 'ended' | 'expired';

/** An engine's credit session: what it holds of the account's credit (migration 0020). */
export interface CreditSessionsTable {
  id: string;
  engine_id: string;
  session_id: string;
  account_id: string;
  subaccount_id: string | null;
  product: UsageProduct;
  direction: UsageDirection;
  from_number: string;
  to_number: string;
  number_type: Generated<string>;
  country_iso: string;
  prefix: string;
  currency: string;
  rate_micros: bigint;
  connect_fee_micros: bigint;
  initial_increment: number;
  subsequent_increment: number;
  /** Seconds (voice) or units (messages) the hold covers. */
  covered: bigint;
  held_micros: bigint;
  /** The max_seconds or max_units last answered. */
  max_quantity: bigint;
  status: CreditSessionStatus;
  opened_at: Timestamp;
  expires_at: Timestamp;
  /** The last renewal could not hold a whole interval: the session ends when its cover runs out. */
  renewal_short: Generated<boolean>;
  disconnect_reason: string | null;
  disconnect_requested_at: Timestamp | null;
  ended_at: Timestamp | null;
  quantity: bigint | null;
  charged_micros: bigint | null;
  /** Ended by the expiry job: the engine neither extended nor ended it in time. */
  flagged: Generated<boolean>;
}

/** Limits beyond credit: staff's per-account overrides, or a main account's for its subaccount. */
export interface CreditLimitsTable {
  account_id: string;
  max_sessions: number | null;
  max_destination_rate_micros: bigint | null;
  daily_spend_cap_micros: bigint | null;
  monthly_spend_cap_micros: bigint | null;
  updated_by: string;
  updated_at: Timestamp;
}

export interface SpendCapAlertsTable {
  subaccount_id: string;
  /** "day:YYYY-MM-DD" or "month:YYYY-MM", in the account's time zone. */
  period: string;
  percent: 80 | 100;
  sent_at: Generated<Timestamp>;
}

export type SuspensionReason =
  | 'content_violation'
  | 'payment_failure'
  | 'compliance_issue'
  | 'suspicious_activity';

/** A suspension of a main account and how it ended (migration 0023). */
export interface AccountSuspensionsTable {
  id: string;
  account_id: string;
  reason: SuspensionReason;
  /** What the members read: what happened and what to address. */
  details: string;
  /** "staff:<id>" or "system". */
  suspended_by: string;
  suspended_at: Timestamp;
  reinstatement_requested_at: Timestamp | null;
  reinstatement_request: string | null;
  /** The support ticket the request opened, "T-000123" (migration 0024). */
  reinstatement_ticket: string | null;
  ended_at: Timestamp | null;
  ended_by: string | null;
  end_note: string | null;
}

export type RefundStatus = 'scheduled' | 'issued' | 'failed';

/** A refund of a recharge (migration 0024): scheduled when the account closed, issued through the recharge's gateway. */
export interface RefundsTable {
  id: string;
  account_id: string;
  payment_id: string;
  gateway: PaymentGatewayName;
  reason: 'account_closed';
  amount_micros: bigint;
  currency: string;
  /** The last business day it may be issued on (20 business days after the closure). */
  due_on: string;
  status: RefundStatus;
  gateway_ref: string | null;
  failure_reason: string | null;
  created_at: Timestamp;
  issued_at: Timestamp | null;
}

export type TicketCategory = 'billing' | 'technical' | 'account' | 'compliance' | 'other';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketStatus = 'open' | 'waiting_on_customer' | 'waiting_on_support' | 'solved' | 'closed';

/** A support ticket (migration 0021); `number` is shown as T-000123. */
export interface SupportTicketsTable {
  id: string;
  number: Generated<bigint>;
  email: string;
  account_id: string | null;
  user_id: string | null;
  subject: string;
  category: TicketCategory;
  priority: TicketPriority;
  status: TicketStatus;
  assignee_id: string | null;
  /** When support owes the next answer (the SLA of the priority); null while nobody waits on support. */
  sla_due_at: Timestamp | null;
  solved_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A ticket's message: a customer's or staff's reply, or staff's internal note (never shown to customers). */
export interface SupportMessagesTable {
  id: string;
  ticket_id: string;
  author: 'customer' | 'staff';
  user_id: string | null;
  staff_id: string | null;
  internal: Generated<boolean>;
  body: string;
  created_at: Timestamp;
}

/** A message's file: the bytes encrypted (SecretBox, base64 inside), the type its content showed. */
export interface SupportAttachmentsTable {
  id: string;
  message_id: string;
  file_name: string;
  content_type: string;
  size_bytes: number;
  content_encrypted: string;
  created_at: Timestamp;
}

/** A "Check Ticket Status" link: one use, expiring; once opened it grants access for a while. */
export interface SupportAccessLinksTable {
  id: string;
  ticket_id: string;
  token_digest: string;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  access_digest: string | null;
  access_expires_at: Timestamp | null;
  created_at: Timestamp;
}

export type SuspiciousActivityRule = 'spend_spike' | 'sign_in_countries';

/** An operator rule that fired for a main account on one of its local days, and how staff resolved it (migration 0025). */
export interface SuspiciousActivityFlagsTable {
  id: string;
  account_id: string;
  rule: SuspiciousActivityRule;
  /** The account's local day the figures are of. */
  day: Day;
  /** What the rule observed (micro-units as strings, countries). */
  figures: Json;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  /** "staff:<id>" or "system". */
  resolved_by: string | null;
  outcome: 'cleared' | 'suspended' | null;
  note: string | null;
}
