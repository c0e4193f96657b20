/**
 * The resources the Audit Log's filter offers: the server's list (src/modules/audit/resources.ts),
 * written again here with no imports because the console bundles no server code; test/api/audit-log.test.ts
 * keeps the two equal.
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
