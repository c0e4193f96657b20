/**
 * What an audit event is about, read off its action: the part before the first dot
 * (`credentials.token_generated` → `credentials`). Every event ever recorded has one, so the
 * resource filter works on old events without rewriting them. The console's filter offers these.
 */
export const AUDIT_RESOURCES = [
  'account',
  'api',
  'application',
  'audit',
  'billing',
  'credentials',
  'credit',
  'endpoint',
  'invoice',
  'ip_whitelist',
  'member',
  'number',
  'sso',
  'subaccount',
  'support',
  'team',
  'user',
] as const;

export type AuditResource = (typeof AUDIT_RESOURCES)[number];

/** Action prefixes written in the plural by older code, and the resource each belongs to. */
const PLURALS: Record<string, string> = { numbers: 'number' };

export const resourceOf = (action: string): string => {
  const prefix = action.split('.', 1)[0] as string;
  return PLURALS[prefix] ?? prefix;
};

/** The action prefixes of a resource: `number` is `number.*` and `numbers.*`. */
export const prefixesOf = (resource: string): string[] => [
  resource,
  ...Object.keys(PLURALS).filter((plural) => PLURALS[plural] === resource),
];

/**
 * Events the operator keeps to itself: its fraud rules' flags, its inactivity bookkeeping and its
 * support desk's internal notes and assignments. Staff see them on the account page; the customer's
 * log, export, API and webhook never do.
 */
export const STAFF_ONLY_ACTIONS: readonly string[] = [
  'account.suspicious_activity_flagged',
  'account.suspicious_activity_cleared',
  'account.inactivity_flagged',
  'support.internal_note_added',
  'support.ticket_assigned',
];

export const customerSees = (action: string): boolean => !STAFF_ONLY_ACTIONS.includes(action);
