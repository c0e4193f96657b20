import { type Migration, Migrator } from 'kysely';
import type { Db } from './database.js';
import * as identity from './migrations/0001_identity.js';
import * as apiGate from './migrations/0002_api_gate.js';
import * as team from './migrations/0003_team.js';
import * as sso from './migrations/0004_sso.js';
import * as subaccounts from './migrations/0005_subaccounts.js';
import * as applicationsEndpoints from './migrations/0006_applications_endpoints.js';
import * as numbers from './migrations/0007_numbers.js';
import * as senderIds from './migrations/0008_sender_ids.js';
import * as apiRequestBatches from './migrations/0009_api_request_batches.js';
import * as compactRequestBatches from './migrations/0010_compact_request_batches.js';
import * as csrfTokensDerived from './migrations/0011_csrf_tokens_derived.js';
import * as apiAuthFailures from './migrations/0012_api_auth_failures.js';
import * as jobs from './migrations/0013_jobs.js';
import * as accountCurrency from './migrations/0014_account_currency.js';
import * as billing from './migrations/0015_billing.js';
import * as usageSummary from './migrations/0016_usage_summary.js';
import * as balanceAlerts from './migrations/0017_balance_alerts.js';
import * as invoices from './migrations/0018_invoices.js';
import * as payments from './migrations/0019_payments.js';
import * as creditControl from './migrations/0020_credit_control.js';
import * as supportTickets from './migrations/0021_support_tickets.js';
import * as inactivity from './migrations/0022_inactivity.js';
import * as suspensions from './migrations/0023_suspensions.js';
import * as accountClosure from './migrations/0024_account_closure.js';
import * as suspiciousActivity from './migrations/0025_suspicious_activity.js';
import * as financialRetention from './migrations/0026_financial_retention.js';
import * as messages from './migrations/0027_messages.js';
import * as voice from './migrations/0028_voice.js';
import * as apiKeys from './migrations/0029_api_keys.js';
import * as auditLog from './migrations/0030_audit_log.js';
import * as passkeys from './migrations/0031_passkeys.js';

const migrations: Record<string, Migration> = {
  '0001_identity': identity,
  '0002_api_gate': apiGate,
  '0003_team': team,
  '0005_subaccounts': subaccounts,
  '0006_applications_endpoints': applicationsEndpoints,
  '0007_numbers': numbers,
  '0008_sender_ids': senderIds,
  '0004_sso': sso,
  '0009_api_request_batches': apiRequestBatches,
  '0010_compact_request_batches': compactRequestBatches,
  '0011_csrf_tokens_derived': csrfTokensDerived,
  '0012_api_auth_failures': apiAuthFailures,
  '0013_jobs': jobs,
  '0014_account_currency': accountCurrency,
  '0015_billing': billing,
  '0016_usage_summary': usageSummary,
  '0017_balance_alerts': balanceAlerts,
  '0019_payments': payments,
  '0020_credit_control': creditControl,
  '0023_suspensions': suspensions,
  '0021_support_tickets': supportTickets,
  '0018_invoices': invoices,
  '0022_inactivity': inactivity,
  '0024_account_closure': accountClosure,
  '0025_suspicious_activity': suspiciousActivity,
  '0026_financial_retention': financialRetention,
  '0027_messages': messages,
  '0028_voice': voice,
  '0029_api_keys': apiKeys,
  '0030_audit_log': auditLog,
  '0031_passkeys': passkeys,
};

/** The names of the migrations this code knows: /readyz is ready once the database has all of them. */
export const knownMigrations: readonly string[] = Object.keys(migrations);

/** Applies every migration not yet applied; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
