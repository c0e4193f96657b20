import { Conflict, DomainError, NotFound, ValidationFailed } from '../../lib/errors.js';

/**
 * Billing's error codes, the one place they are spelled, for the services and their tests: the
 * balance and transactions, price decks and the Pricing API, the Usage Summary, and the engine door.
 */

/** The error codes of the balance, the transactions and staff credit: the one place they are spelled. */
export const LedgerErrors = {
  invalidKind: 'invalid_kind',
  invalidDate: 'invalid_date',
  invalidDateRange: 'invalid_date_range',
  invalidSubaccount: 'invalid_subaccount',
  invalidAmount: 'invalid_amount',
  reasonRequired: 'reason_required',
  invalidIdempotencyKey: 'invalid_idempotency_key',
  accountNotFound: 'account_not_found',
} as const;

/** The error codes of price decks and the Pricing API: the one place they are spelled, for the services and their tests. */
export const PriceErrors = {
  invalidDeck: 'invalid_price_deck',
  countryIsoRequired: 'country_iso_required',
  invalidCountryIso: 'invalid_country_iso',
  noPricing: 'pricing_not_found',
} as const;

/** The error codes of the Usage Summary (page, API, export): the one place they are spelled. */
export const UsageErrors = {
  invalidDate: 'invalid_date',
  invalidDateRange: 'invalid_date_range',
  invalidProduct: 'invalid_product',
  unknownSubaccount: 'unknown_subaccount',
} as const;

/** The error codes of engine credentials and the engine door: the one place they are spelled. */
export const EngineErrors = {
  /** 401: no Bearer key, a key not in the engine format, an unknown engine or a wrong or revoked key. */
  keyInvalid: 'engine_key_invalid',
  /** 400: the usage body as a whole cannot be read (not a batch of 1 to 1,000 events of the documented shape). */
  invalidBatch: 'invalid_batch',
  /** 400: another engine route's body does not have the documented shape. */
  invalidRequest: 'invalid_request',
  invalidName: 'invalid_engine_name',
  nameTaken: 'engine_name_taken',
  notFound: 'engine_not_found',
  invalidDisconnectUrl: 'invalid_disconnect_url',
  routeNotFound: 'route_not_found',
} as const;

export const EngineRefusals = {
  keyInvalid: () =>
    new DomainError(
      401,
      EngineErrors.keyInvalid,
      'Send the engine key staff created as "Authorization: Bearer sbe_…"; this one is unknown or revoked.',
    ),
  invalidName: (name: string) =>
    ValidationFailed(
      EngineErrors.invalidName,
      `"${name}" cannot name an engine: use 1 to 63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit (e.g. sbc1).`,
      [{ field: 'name', message: 'lower-case letters, digits, ".", "_" or "-"' }],
    ),
  nameTaken: (name: string) =>
    Conflict(EngineErrors.nameTaken, `An engine named "${name}" exists already: choose another name.`, [
      { field: 'name', message: 'taken' },
    ]),
  notFound: () => NotFound(EngineErrors.notFound, 'No engine has this id.'),
  invalidDisconnectUrl: (problem: string) =>
    ValidationFailed(EngineErrors.invalidDisconnectUrl, `The disconnect URL ${problem}.`, [
      { field: 'url', message: problem },
    ]),
};

/** Why an event of a usage batch was rejected: its `reason` starts with the code. */
export const UsageRejections = {
  unknownAccount: 'unknown_account',
  unknownProduct: 'unknown_product',
  unknownDirection: 'unknown_direction',
  unknownNumberType: 'unknown_number_type',
  invalidNumber: 'invalid_number',
  invalidQuantity: 'invalid_quantity',
  invalidTime: 'invalid_time',
  noPrice: 'no_price',
} as const;
export type UsageRejection = (typeof UsageRejections)[keyof typeof UsageRejections];

/** The error codes of balance alerts (Billing > Payment Settings): the one place they are spelled. */
export const BalanceAlertErrors = {
  invalidThreshold: 'invalid_alert_threshold',
  tooManyThresholds: 'too_many_alert_thresholds',
  invalidEmail: 'invalid_alert_email',
  tooManyEmails: 'too_many_alert_emails',
  invalidWebhookUrl: 'invalid_alert_webhook_url',
  noWebhook: 'no_alert_webhook',
  accountNotFound: 'account_not_found',
} as const;

/** Payments: saved cards, recharges and auto-recharge (payments.ts, auto-recharge.ts). */
export const PaymentErrors = {
  invalidAmount: 'invalid_amount',
  amountOutOfRange: 'amount_out_of_range',
  methodNotFound: 'payment_method_not_found',
  methodInUse: 'payment_method_in_use',
  paymentNotFound: 'payment_not_found',
  gatewayRefused: 'gateway_refused',
  paymentsOff: 'payments_not_configured',
  invalidAutoRecharge: 'invalid_auto_recharge',
  noReceipt: 'no_receipt',
} as const;
/** The error codes of Billing > Invoices: the one place they are spelled. */
export const InvoiceErrors = {
  notFound: 'invoice_not_found',
  accountNotFound: 'account_not_found',
} as const;
