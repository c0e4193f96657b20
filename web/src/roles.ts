/**
 * The roles and what the console offers each, with no imports, so that a server test can compare
 * this table with the server's permission table (src/http/permissions.ts) route by route.
 */
export type Role = 'owner' | 'admin' | 'developer' | 'support' | 'financial_analyst';

export const roleNames: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  developer: 'Developer',
  support: 'Support',
  financial_analyst: 'Financial Analyst',
};

/**
 * What the console offers per role, mirroring the server's permission table:
 * Developer views the Auth ID and Auth Token and uses Logs; tokens, IP whitelisting and the team are Owner/Admin.
 * Developer also lists subaccounts (and their sender IDs) and manages applications, endpoints and phone numbers;
 * SSO, changing subaccounts, renting or releasing numbers and failed sign-ins to the API are Owner/Admin.
 * Billing (the balance, Transactions) is Owner, Admin and Financial Analyst.
 * Voice > Pricing and Messaging > Pricing are for every member; Voice > Calls reads like the logs.
 * The server still decides; pages show its 403 when this table and the server disagree.
 */
export const rolesFor = {
  viewCredentials: ['owner', 'admin', 'developer'],
  manageCredentials: ['owner', 'admin'],
  /** Account > Settings > Security: "Secure my account" and what to review after it. */
  secureAccount: ['owner', 'admin'],
  manageIpWhitelist: ['owner', 'admin'],
  readApiLogs: ['owner', 'admin', 'developer', 'support'],
  readFailedApiSignIns: ['owner', 'admin'],
  /** Account > Settings > Audit Log: every change, staff actions included, its export and its webhook. */
  readAuditLog: ['owner', 'admin'],
  manageTeam: ['owner', 'admin'],
  manageSso: ['owner', 'admin'],
  viewSubaccounts: ['owner', 'admin', 'developer'],
  manageSubaccounts: ['owner', 'admin'],
  /** Account > Limits: calls in progress against the limits, subaccounts' spend against their caps (caps set by manageSubaccounts). */
  viewLimits: ['owner', 'admin', 'developer'],
  /** A suspended account's "Request reinstatement". */
  requestReinstatement: ['owner', 'admin'],
  /** Account > Service Address > Close Account: the Owner alone. */
  closeAccount: ['owner'],
  manageApplications: ['owner', 'admin', 'developer'],
  manageEndpoints: ['owner', 'admin', 'developer'],
  manageNumbers: ['owner', 'admin', 'developer'],
  rentNumbers: ['owner', 'admin'],
  viewBilling: ['owner', 'admin', 'financial_analyst'],
  /** Billing > Payment Settings: saved cards, Recharge now and balance alerts. */
  managePayments: ['owner', 'admin', 'financial_analyst'],
  viewPricing: ['owner', 'admin', 'developer', 'support', 'financial_analyst'],
  /** Billing > Usage Summary (read-only, with the member's own daily email setting): Billing's roles and Support. */
  readUsage: ['owner', 'admin', 'financial_analyst', 'support'],
  /** Messaging > Logs: the messages of the account and its subaccounts, each with its delivery timeline. */
  readMessageLogs: ['owner', 'admin', 'developer', 'support'],
  /** Messaging > Logs' "Send a test SMS" (charged, from the API's numbers and sender IDs) and canceling a scheduled message. */
  sendMessages: ['owner', 'admin', 'developer'],
  /** Messaging > Sender IDs: whitelisted per subaccount (and for the main account itself). */
  manageSenderIds: ['owner', 'admin', 'developer'],
  /** Voice > Calls: the calls of the account and its subaccounts, with what each cost and why it ended. */
  readCallLogs: ['owner', 'admin', 'developer', 'support'],
  /** Voice > Calls' "Hang up" on an answered call (the Call API's DELETE does the same). */
  hangUpCalls: ['owner', 'admin', 'developer'],
  /** Support: the account's tickets, for every member. */
  useSupport: ['owner', 'admin', 'developer', 'support', 'financial_analyst'],
} satisfies Record<string, Role[]>;

export type Capability = keyof typeof rolesFor;
