import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissions } from '../../src/http/permissions.js';
import { type Capability, rolesFor } from '../../web/src/roles.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('the permission table', () => {
  it('has an entry for every console and staff API route (a new route without one fails here)', () => {
    const apiRoutes = server.app.routeList.filter((route) => route.url.startsWith('/api/'));
    expect(apiRoutes.length).toBeGreaterThan(30);
    const missing = apiRoutes.map((r) => `${r.method} ${r.url}`).filter((key) => !(key in permissions));
    expect(missing).toEqual([]);
  });

  it('names no route that does not exist', () => {
    const served = new Set(server.app.routeList.map((r) => `${r.method} ${r.url}`));
    expect(Object.keys(permissions).filter((key) => !served.has(key))).toEqual([]);
  });
});

/** The console routes each capability of the web console (web/src/roles.ts) stands for. */
const routesOf: Record<Capability, string[]> = {
  viewCredentials: ['GET /api/credentials'],
  manageCredentials: [
    'POST /api/credentials/tokens',
    'DELETE /api/credentials/tokens/:tokenId',
    'GET /api/credentials/api-keys',
    'POST /api/credentials/api-keys',
    'DELETE /api/credentials/api-keys/:keyId',
  ],
  secureAccount: ['POST /api/security/secure-account', 'GET /api/security/account-review'],
  manageIpWhitelist: [
    'GET /api/ip-whitelist',
    'POST /api/ip-whitelist',
    'DELETE /api/ip-whitelist/:entryId',
    'PUT /api/ip-whitelist/enabled',
  ],
  readApiLogs: ['GET /api/logs/api'],
  readFailedApiSignIns: ['GET /api/logs/api/failed-sign-ins'],
  readAuditLog: [
    'GET /api/audit/events',
    'GET /api/audit/events.csv',
    'GET /api/audit/webhook',
    'PUT /api/audit/webhook',
    'DELETE /api/audit/webhook',
    'POST /api/audit/webhook/secret',
  ],
  manageTeam: [
    'GET /api/team',
    'POST /api/team/invitations',
    'POST /api/team/invitations/:invitationId/resend',
    'DELETE /api/team/invitations/:invitationId',
    'PUT /api/team/members/:userId/role',
    'DELETE /api/team/members/:userId',
  ],
  manageSso: [
    'GET /api/sso',
    'POST /api/sso/connections',
    'POST /api/sso/connections/:connectionId/test',
    'DELETE /api/sso/connections/:connectionId',
    'PUT /api/sso/settings',
  ],
  // The Subaccounts page offers every viewer the sender-ID list of each subaccount.
  viewSubaccounts: [
    'GET /api/subaccounts',
    'GET /api/subaccounts/:authId/sender-ids',
    'POST /api/subaccounts/:authId/sender-ids',
    'DELETE /api/subaccounts/:authId/sender-ids/:senderIdId',
  ],
  manageSubaccounts: [
    'POST /api/subaccounts',
    'PATCH /api/subaccounts/:authId',
    'POST /api/subaccounts/:authId/tokens',
    'DELETE /api/subaccounts/:authId',
    'PUT /api/subaccounts/:authId/limits',
  ],
  viewLimits: ['GET /api/limits'],
  requestReinstatement: ['POST /api/account/reinstatement-request'],
  closeAccount: ['GET /api/account/closure', 'POST /api/account/closure'],
  manageApplications: [
    'GET /api/applications',
    'POST /api/applications',
    'PATCH /api/applications/:appId',
    'DELETE /api/applications/:appId',
  ],
  manageEndpoints: [
    'GET /api/endpoints',
    'POST /api/endpoints',
    'PATCH /api/endpoints/:endpointId',
    'DELETE /api/endpoints/:endpointId',
  ],
  manageNumbers: ['GET /api/numbers/available', 'GET /api/numbers', 'PATCH /api/numbers/:number'],
  rentNumbers: ['POST /api/numbers/:number', 'DELETE /api/numbers/:number'],
  viewBilling: [
    'GET /api/billing/balance',
    'GET /api/billing/transactions',
    'GET /api/billing/transactions.csv',
    'GET /api/billing/invoices',
    'GET /api/billing/invoices/:id.pdf',
  ],
  managePayments: [
    'GET /api/billing/payment-settings',
    'POST /api/billing/payment-methods/setup',
    'POST /api/billing/payment-methods',
    'DELETE /api/billing/payment-methods/:methodId',
    'POST /api/billing/recharges',
    'GET /api/billing/payments',
    'GET /api/billing/payments/:paymentId',
    'GET /api/billing/payments/:paymentId/receipt.pdf',
    'GET /api/billing/auto-recharge',
    'PUT /api/billing/auto-recharge',
    'GET /api/billing/alerts',
    'PUT /api/billing/alerts',
    'POST /api/billing/alerts/webhook-secret',
  ],
  viewPricing: ['GET /api/pricing'],
  readUsage: [
    'GET /api/billing/usage',
    'GET /api/billing/usage.csv',
    'GET /api/billing/usage/email',
    'PUT /api/billing/usage/email',
  ],
  readMessageLogs: ['GET /api/messaging/messages', 'GET /api/messaging/messages/:messageUuid'],
  sendMessages: [
    'POST /api/messaging/messages',
    'DELETE /api/messaging/messages/:messageUuid',
    'GET /api/messaging/senders',
  ],
  manageSenderIds: [
    'GET /api/messaging/sender-ids',
    'POST /api/messaging/sender-ids',
    'DELETE /api/messaging/sender-ids/:senderIdId',
  ],
  readCallLogs: ['GET /api/voice/calls', 'GET /api/voice/calls/:callUuid'],
  hangUpCalls: ['POST /api/voice/calls/:callUuid/hangup'],
  useSupport: [
    'GET /api/tickets',
    'POST /api/tickets',
    'GET /api/tickets/:ticketNumber',
    'POST /api/tickets/:ticketNumber/replies',
    'POST /api/tickets/:ticketNumber/reopen',
    'GET /api/tickets/:ticketNumber/attachments/:attachmentId',
  ],
};

/** Role-restricted routes the console reaches without a capability: the owner's onboarding step. */
const outsideCapabilities = ['POST /api/onboarding/business-profile'];

describe('the web console’s copy of the permission table', () => {
  it('gives each capability exactly the roles the server allows on the routes it stands for', () => {
    const disagreements = Object.entries(routesOf).flatMap(([capability, keys]) =>
      keys
        .map((key) => {
          const rule = permissions[key];
          const server = typeof rule === 'object' ? [...(rule.roles ?? [])].sort() : rule;
          const web = [...rolesFor[capability as Capability]].sort();
          return JSON.stringify(server) === JSON.stringify(web) ? null : { capability, key, server, web };
        })
        .filter(Boolean),
    );
    expect(disagreements).toEqual([]);
  });

  it('names every role-restricted route under one capability (a new one fails here until it has one)', () => {
    const restricted = Object.entries(permissions)
      .filter(([, rule]) => typeof rule === 'object' && rule.roles)
      .map(([key]) => key);
    const covered = [...Object.values(routesOf).flat(), ...outsideCapabilities];
    expect(restricted.filter((key) => !covered.includes(key))).toEqual([]);
    expect(covered.filter((key) => !restricted.includes(key))).toEqual([]);
    expect(new Set(covered).size).toBe(covered.length);
  });
});
