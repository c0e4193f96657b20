import type { Role } from '../db/schema.js';

/**
 * The one permission table: every console and staff route names who may call it. A route missing
 * from this table is refused (fail closed), and a test fails when a route has no entry.
 *
 * - public: anyone (sign-up, sign-in, links from emails)
 * - any_session: a user with any session (read own session, sign out)
 * - onboarding: a signed-in user who has no second factor yet (verification steps)
 * - second_factor: a user who passed the password step and owes a second factor
 * - password_change: a user signed in who must set a new password first ("Secure my account")
 * - member: a user fully signed in with 2FA
 * - staff_public / staff_any_session / staff_second_factor / staff: the same stages for the operator's staff
 * - idp_post: public, and exempt from the Origin check: an identity provider's page posts it from its
 *   own site (the SAML POST binding); the signed response, which must answer a request this server
 *   issued, authenticates it instead
 * - engine: the engine door (/api/engine): an engine key (Bearer), no session; the console guard refuses it
 */
export type Access =
  | 'public'
  | 'idp_post'
  | 'any_session'
  | 'onboarding'
  | 'second_factor'
  | 'password_change'
  | 'member'
  | 'staff_public'
  | 'staff_any_session'
  | 'staff_second_factor'
  | 'staff'
  | 'engine';

/** Roles per the FAQ: Owner and Admin manage; Developer uses API credentials and logs; Support reads logs and usage; Financial Analyst sees billing only. */
const manage: Role[] = ['owner', 'admin'];
const apiAccess: Role[] = ['owner', 'admin', 'developer'];
const readLogs: Role[] = ['owner', 'admin', 'developer', 'support'];
/** Billing: the balance, transactions and payments (ANSWERS.md, "Roles for money"). */
const billing: Role[] = ['owner', 'admin', 'financial_analyst'];
/** Voice > Pricing and Messaging > Pricing are for every member, whatever their role. */
const everyMember: Role[] = ['owner', 'admin', 'developer', 'support', 'financial_analyst'];
/** Usage Summary: Billing's roles and Support, read-only (ANSWERS.md "Roles for money"). */
const readUsage: Role[] = ['owner', 'admin', 'financial_analyst', 'support'];

export interface Rule {
  access: Access;
  /** Account roles that may call the route; absent means any member of the account. */
  roles?: readonly Role[];
}

export const permissions: Record<string, Access | Rule> = {
  'POST /api/signup': 'public',
  'POST /api/email-verification': 'public',
  'POST /api/email-verification/resend': 'onboarding',
  'POST /api/session': 'public',
  'GET /api/session': 'any_session',
  'DELETE /api/session': 'any_session',
  'POST /api/session/phone-code': 'second_factor',
  'POST /api/session/second-factor': 'second_factor',
  'POST /api/session/reauthenticate': 'member',
  'POST /api/session/passkey/options': 'second_factor',
  'POST /api/session/passkey': 'second_factor',
  'POST /api/passkey-sign-in/options': 'public',
  'POST /api/passkey-sign-in': 'public',
  'POST /api/session/new-password': 'password_change',
  'POST /api/password-reset': 'public',
  'GET /api/password-reset/:token': 'public',
  'POST /api/password-reset/complete': 'public',
  'POST /api/password-check': 'public',
  'POST /api/onboarding/phone': 'onboarding',
  'POST /api/onboarding/phone/verify': 'onboarding',
  'POST /api/onboarding/business-profile': { access: 'member', roles: ['owner'] },
  'GET /api/me': 'member',
  'PATCH /api/profile': 'member',
  'POST /api/profile/email': 'member',
  'POST /api/email-change/confirm': 'public',
  'POST /api/profile/password': 'member',
  'GET /api/security': 'member',
  'GET /api/security/sign-ins': 'member',
  'POST /api/security/secure-account': { access: 'member', roles: manage },
  'GET /api/security/account-review': { access: 'member', roles: manage },
  'GET /api/security/inactivity-policy': 'member',
  'POST /api/security/phone-code': 'member',
  'POST /api/security/authenticator': 'member',
  'POST /api/security/authenticator/verify-phone': 'member',
  'POST /api/security/authenticator/confirm': 'member',
  'DELETE /api/security/authenticator': 'member',
  'PUT /api/security/phone-factor': 'member',
  'GET /api/security/passkeys': 'member',
  'POST /api/security/passkeys/options': 'member',
  'POST /api/security/passkeys': 'member',
  'PATCH /api/security/passkeys/:passkeyId': 'member',
  'DELETE /api/security/passkeys/:passkeyId': 'member',
  'POST /api/security/recovery-codes': 'member',
  'POST /api/security/phone-change': 'member',
  'POST /api/security/phone-change/number': 'member',
  'POST /api/security/phone-change/verify': 'member',
  'GET /api/staff/setup/:token': 'staff_public',
  'POST /api/staff/setup': 'staff_public',
  'POST /api/staff/session': 'staff_public',
  'GET /api/staff/session': 'staff',
  'DELETE /api/staff/session': 'staff_any_session',
  'POST /api/staff/session/second-factor': 'staff_second_factor',
  'POST /api/staff/session/passkey/options': 'staff_second_factor',
  'POST /api/staff/session/passkey': 'staff_second_factor',
  'POST /api/staff/passkey-sign-in/options': 'staff_public',
  'POST /api/staff/passkey-sign-in': 'staff_public',
  'POST /api/staff/session/reauthenticate': 'staff',
  'GET /api/staff/security/passkeys': 'staff',
  'POST /api/staff/security/passkeys/options': 'staff',
  'POST /api/staff/security/passkeys': 'staff',
  'PATCH /api/staff/security/passkeys/:passkeyId': 'staff',
  'DELETE /api/staff/security/passkeys/:passkeyId': 'staff',
  'GET /api/team': { access: 'member', roles: manage },
  'POST /api/team/invitations': { access: 'member', roles: manage },
  'POST /api/team/invitations/:invitationId/resend': { access: 'member', roles: manage },
  'DELETE /api/team/invitations/:invitationId': { access: 'member', roles: manage },
  'PUT /api/team/members/:userId/role': { access: 'member', roles: manage },
  'DELETE /api/team/members/:userId': { access: 'member', roles: manage },
  'GET /api/invitations/:token': 'public',
  'POST /api/invitations/accept': 'public',
  'POST /api/session/account': 'member',
  'GET /api/subaccounts': { access: 'member', roles: apiAccess },
  'POST /api/subaccounts': { access: 'member', roles: manage },
  'PATCH /api/subaccounts/:authId': { access: 'member', roles: manage },
  'POST /api/subaccounts/:authId/tokens': { access: 'member', roles: manage },
  'DELETE /api/subaccounts/:authId': { access: 'member', roles: manage },
  'GET /api/subaccounts/:authId/sender-ids': { access: 'member', roles: apiAccess },
  'POST /api/subaccounts/:authId/sender-ids': { access: 'member', roles: apiAccess },
  'DELETE /api/subaccounts/:authId/sender-ids/:senderIdId': { access: 'member', roles: apiAccess },
  'GET /api/applications': { access: 'member', roles: apiAccess },
  'POST /api/applications': { access: 'member', roles: apiAccess },
  'PATCH /api/applications/:appId': { access: 'member', roles: apiAccess },
  'DELETE /api/applications/:appId': { access: 'member', roles: apiAccess },
  'GET /api/endpoints': { access: 'member', roles: apiAccess },
  'POST /api/endpoints': { access: 'member', roles: apiAccess },
  'PATCH /api/endpoints/:endpointId': { access: 'member', roles: apiAccess },
  'DELETE /api/endpoints/:endpointId': { access: 'member', roles: apiAccess },
  'GET /api/numbers/available': { access: 'member', roles: apiAccess },
  'GET /api/numbers': { access: 'member', roles: apiAccess },
  'POST /api/numbers/:number': { access: 'member', roles: manage },
  'PATCH /api/numbers/:number': { access: 'member', roles: apiAccess },
  'DELETE /api/numbers/:number': { access: 'member', roles: manage },
  'GET /api/credentials': { access: 'member', roles: apiAccess },
  'POST /api/credentials/tokens': { access: 'member', roles: manage },
  'DELETE /api/credentials/tokens/:tokenId': { access: 'member', roles: manage },
  'GET /api/credentials/api-keys': { access: 'member', roles: manage },
  'POST /api/credentials/api-keys': { access: 'member', roles: manage },
  'DELETE /api/credentials/api-keys/:keyId': { access: 'member', roles: manage },
  'GET /api/ip-whitelist': { access: 'member', roles: manage },
  'POST /api/ip-whitelist': { access: 'member', roles: manage },
  'DELETE /api/ip-whitelist/:entryId': { access: 'member', roles: manage },
  'PUT /api/ip-whitelist/enabled': { access: 'member', roles: manage },
  'GET /api/logs/api': { access: 'member', roles: readLogs },
  'GET /api/logs/api/failed-sign-ins': { access: 'member', roles: manage },
  // Account > Settings > Audit Log: who did what, including staff actions and sign-ins, and where events go.
  'GET /api/audit/events': { access: 'member', roles: manage },
  'GET /api/audit/events.csv': { access: 'member', roles: manage },
  'GET /api/audit/webhook': { access: 'member', roles: manage },
  'PUT /api/audit/webhook': { access: 'member', roles: manage },
  'DELETE /api/audit/webhook': { access: 'member', roles: manage },
  'POST /api/audit/webhook/secret': { access: 'member', roles: manage },
  'GET /api/staff/reviews': 'staff',
  'GET /api/staff/accounts': 'staff',
  'GET /api/staff/accounts/:accountId/rate-limits': 'staff',
  'PUT /api/staff/accounts/:accountId/rate-limits': 'staff',
  'POST /api/staff/reviews/:accountId/decision': 'staff',
  'POST /api/staff/numbers': 'staff',
  'GET /api/staff/jobs': 'staff',
  'POST /api/staff/jobs/:jobId/retry': 'staff',
  'GET /api/sso': { access: 'member', roles: manage },
  'POST /api/sso/connections': { access: 'member', roles: manage },
  'POST /api/sso/connections/:connectionId/test': { access: 'member', roles: manage },
  'DELETE /api/sso/connections/:connectionId': { access: 'member', roles: manage },
  'PUT /api/sso/settings': { access: 'member', roles: manage },
  'POST /api/sso/start': 'public',
  'GET /api/sso/oidc/callback': 'public',
  'POST /api/sso/saml/acs': 'idp_post',
  'GET /api/sso/saml/metadata': 'public',
  'GET /api/staff/accounts/:accountId/sso': 'staff',
  'PUT /api/staff/accounts/:accountId/sso': 'staff',
  'GET /api/billing/balance': { access: 'member', roles: billing },
  'GET /api/billing/transactions': { access: 'member', roles: billing },
  'GET /api/billing/transactions.csv': { access: 'member', roles: billing },
  'POST /api/staff/accounts/:accountId/credits': 'staff',
  'POST /api/staff/prices': 'staff',
  'GET /api/staff/prices': 'staff',
  'GET /api/pricing': { access: 'member', roles: everyMember },
  'GET /api/billing/usage': { access: 'member', roles: readUsage },
  'GET /api/billing/usage.csv': { access: 'member', roles: readUsage },
  'GET /api/billing/usage/email': { access: 'member', roles: readUsage },
  'PUT /api/billing/usage/email': { access: 'member', roles: readUsage },
  'GET /api/staff/engines': 'staff',
  'POST /api/staff/engines': 'staff',
  'POST /api/staff/engines/:engineId/revoke': 'staff',
  'POST /api/engine/usage': 'engine',
  'GET /api/credit': 'member',
  'GET /api/account/suspension': 'member',
  'POST /api/account/reinstatement-request': { access: 'member', roles: manage },
  'POST /api/staff/accounts/:accountId/suspend': 'staff',
  'POST /api/staff/accounts/:accountId/reinstate': 'staff',
  'GET /api/staff/accounts/:accountId/suspensions': 'staff',
  'GET /api/account/closure': { access: 'member', roles: ['owner'] },
  'POST /api/account/closure': { access: 'member', roles: ['owner'] },
  'POST /api/staff/accounts/:accountId/close': 'staff',
  'GET /api/limits': { access: 'member', roles: apiAccess },
  'PUT /api/subaccounts/:authId/limits': { access: 'member', roles: manage },
  'GET /api/staff/accounts/:accountId/credit-limits': 'staff',
  'PUT /api/staff/accounts/:accountId/credit-limits': 'staff',
  'POST /api/engine/sessions': 'engine',
  'POST /api/engine/sessions/:id/extend': 'engine',
  'POST /api/engine/sessions/:id/end': 'engine',
  'POST /api/engine/sip/digest': 'engine',
  'POST /api/engine/sip/registrations': 'engine',
  'POST /api/engine/calls': 'engine',
  'POST /api/engine/calls/:callUuid/answer': 'engine',
  'POST /api/engine/calls/:callUuid/end': 'engine',
  'PUT /api/staff/engines/:engineId/disconnect': 'staff',
  'GET /api/billing/alerts': { access: 'member', roles: billing },
  'PUT /api/billing/alerts': { access: 'member', roles: billing },
  'POST /api/billing/alerts/webhook-secret': { access: 'member', roles: billing },
  'GET /api/billing/payment-settings': { access: 'member', roles: billing },
  'POST /api/billing/payment-methods/setup': { access: 'member', roles: billing },
  'POST /api/billing/payment-methods': { access: 'member', roles: billing },
  'DELETE /api/billing/payment-methods/:methodId': { access: 'member', roles: billing },
  'POST /api/billing/recharges': { access: 'member', roles: billing },
  'GET /api/billing/payments': { access: 'member', roles: billing },
  'GET /api/billing/payments/:paymentId': { access: 'member', roles: billing },
  'GET /api/billing/payments/:paymentId/receipt.pdf': { access: 'member', roles: billing },
  'GET /api/billing/auto-recharge': { access: 'member', roles: billing },
  'PUT /api/billing/auto-recharge': { access: 'member', roles: billing },
  'GET /api/billing/invoices': { access: 'member', roles: billing },
  'GET /api/billing/invoices/:id.pdf': { access: 'member', roles: billing },
  'GET /api/staff/accounts/:accountId/invoices': 'staff',
  'GET /api/staff/accounts/:accountId/invoices/:id.pdf': 'staff',
  // Support: anyone creates a ticket and checks its status by an emailed link (whose access key
  // authenticates the /api/support/access/… routes); members see the account's tickets.
  'POST /api/support/tickets': 'public',
  'POST /api/support/status': 'public',
  'POST /api/support/access': 'public',
  'GET /api/support/access/ticket': 'public',
  'POST /api/support/access/replies': 'public',
  'POST /api/support/access/reopen': 'public',
  'GET /api/support/access/attachments/:attachmentId': 'public',
  'GET /api/tickets': { access: 'member', roles: everyMember },
  'POST /api/tickets': { access: 'member', roles: everyMember },
  'GET /api/tickets/:ticketNumber': { access: 'member', roles: everyMember },
  'POST /api/tickets/:ticketNumber/replies': { access: 'member', roles: everyMember },
  'POST /api/tickets/:ticketNumber/reopen': { access: 'member', roles: everyMember },
  'GET /api/tickets/:ticketNumber/attachments/:attachmentId': { access: 'member', roles: everyMember },
  'GET /api/staff/tickets': 'staff',
  'GET /api/staff/tickets/agents': 'staff',
  'GET /api/staff/tickets/:ticketNumber': 'staff',
  'POST /api/staff/tickets/:ticketNumber/replies': 'staff',
  'PUT /api/staff/tickets/:ticketNumber/status': 'staff',
  'PUT /api/staff/tickets/:ticketNumber/assignee': 'staff',
  'GET /api/staff/tickets/:ticketNumber/attachments/:attachmentId': 'staff',
  'GET /api/staff/accounts/:accountId': 'staff',
  'GET /api/staff/suspicious-activity': 'staff',
  'POST /api/staff/suspicious-activity/:flagId/clear': 'staff',
  'GET /api/staff/numbers': 'staff',
  // Messaging > Logs reads like the other logs; sending a test SMS costs money and uses the API's
  // senders, and sender IDs decide what the API may send from: API access.
  'GET /api/messaging/messages': { access: 'member', roles: readLogs },
  'GET /api/messaging/messages/:messageUuid': { access: 'member', roles: readLogs },
  'POST /api/messaging/messages': { access: 'member', roles: apiAccess },
  'DELETE /api/messaging/messages/:messageUuid': { access: 'member', roles: apiAccess },
  'GET /api/messaging/senders': { access: 'member', roles: apiAccess },
  'GET /api/messaging/sender-ids': { access: 'member', roles: apiAccess },
  'POST /api/messaging/sender-ids': { access: 'member', roles: apiAccess },
  'DELETE /api/messaging/sender-ids/:senderIdId': { access: 'member', roles: apiAccess },
  'DELETE /api/staff/numbers/:number': 'staff',
  // Voice > Calls reads like Messaging > Logs; hanging up a live call acts on the account's traffic
  // as the Call API's DELETE does, as canceling a scheduled message does: API access.
  'GET /api/voice/calls': { access: 'member', roles: readLogs },
  'GET /api/voice/calls/:callUuid': { access: 'member', roles: readLogs },
  'POST /api/voice/calls/:callUuid/hangup': { access: 'member', roles: apiAccess },
};

/**
 * The /v1 API's resources and the actions a restricted API key may be given on each (Account >
 * Settings > Credentials > API Keys). Auth Tokens may do all of them; a key only what it names.
 */
export const apiKeyResources = {
  Account: ['read', 'update'],
  Subaccount: ['create', 'read', 'update', 'delete'],
  Application: ['create', 'read', 'update', 'delete'],
  Endpoint: ['create', 'read', 'update', 'delete'],
  Number: ['create', 'read', 'update', 'delete'],
  Message: ['create', 'read', 'delete'],
  Call: ['read', 'delete'],
  Pricing: ['read'],
  Usage: ['read'],
  Lookup: ['read'],
  AuditEvent: ['read'],
} as const satisfies Record<string, readonly ApiKeyAction[]>;

export type ApiKeyAction = 'create' | 'read' | 'update' | 'delete';
export type ApiKeyResource = keyof typeof apiKeyResources;
/** A permission as a key names it and a refusal quotes it: `Message:create`. */
export type ApiKeyPermission = {
  [R in ApiKeyResource]: `${R}:${(typeof apiKeyResources)[R][number]}`;
}[ApiKeyResource];

/**
 * What a restricted API key needs for each /v1 route, by method and route. Fail closed: a route
 * missing here refuses every key (full-access ones too) with 403; a test fails when a /v1 route
 * has no entry.
 */
export const apiKeyPermissions: Record<string, ApiKeyPermission> = {
  'GET /v1/Account/:authId/': 'Account:read',
  'POST /v1/Account/:authId/': 'Account:update',
  'POST /v1/Account/:authId/Subaccount/': 'Subaccount:create',
  'GET /v1/Account/:authId/Subaccount/': 'Subaccount:read',
  'GET /v1/Account/:authId/Subaccount/:subauthId/': 'Subaccount:read',
  'POST /v1/Account/:authId/Subaccount/:subauthId/': 'Subaccount:update',
  'DELETE /v1/Account/:authId/Subaccount/:subauthId/': 'Subaccount:delete',
  'POST /v1/Account/:authId/Application/': 'Application:create',
  'GET /v1/Account/:authId/Application/': 'Application:read',
  'GET /v1/Account/:authId/Application/:appId/': 'Application:read',
  'POST /v1/Account/:authId/Application/:appId/': 'Application:update',
  'DELETE /v1/Account/:authId/Application/:appId/': 'Application:delete',
  'POST /v1/Account/:authId/Endpoint/': 'Endpoint:create',
  'GET /v1/Account/:authId/Endpoint/': 'Endpoint:read',
  'GET /v1/Account/:authId/Endpoint/:endpointId/': 'Endpoint:read',
  'POST /v1/Account/:authId/Endpoint/:endpointId/': 'Endpoint:update',
  'DELETE /v1/Account/:authId/Endpoint/:endpointId/': 'Endpoint:delete',
  // Searching the inventory reads numbers; renting one creates it in the account.
  'GET /v1/Account/:authId/PhoneNumber/': 'Number:read',
  'POST /v1/Account/:authId/PhoneNumber/:number/': 'Number:create',
  'GET /v1/Account/:authId/Number/': 'Number:read',
  'GET /v1/Account/:authId/Number/:number/': 'Number:read',
  'POST /v1/Account/:authId/Number/:number/': 'Number:update',
  'DELETE /v1/Account/:authId/Number/:number/': 'Number:delete',
  'POST /v1/Account/:authId/Message/': 'Message:create',
  'GET /v1/Account/:authId/Message/': 'Message:read',
  'GET /v1/Account/:authId/Message/:uuid/': 'Message:read',
  // Canceling a scheduled message.
  'DELETE /v1/Account/:authId/Message/:uuid/': 'Message:delete',
  'GET /v1/Account/:authId/Call/': 'Call:read',
  'GET /v1/Account/:authId/Call/:uuid/': 'Call:read',
  // Hanging up a live call.
  'DELETE /v1/Account/:authId/Call/:uuid/': 'Call:delete',
  'GET /v1/Account/:authId/Pricing/': 'Pricing:read',
  'GET /v1/Account/:authId/Usage/': 'Usage:read',
  'GET /v1/Account/:authId/AuditEvent/': 'AuditEvent:read',
  'GET /v1/Number/:number': 'Lookup:read',
  'GET /v1/Number/:number/': 'Lookup:read',
};
