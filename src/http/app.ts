import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { jobStaffRoutes } from '../jobs/staff-routes.js';
import { accountSecurityRoutes } from '../modules/account-security/routes.js';
import { closureRoutes } from '../modules/accounts/closure-routes.js';
import { accountApiRoutes } from '../modules/accounts/plivo-routes.js';
import { suspensionRoutes } from '../modules/accounts/suspension-routes.js';
import { apiLogRoutes } from '../modules/api-logs/routes.js';
import { applicationApiRoutes } from '../modules/applications/plivo-routes.js';
import { applicationRoutes } from '../modules/applications/routes.js';
import { auditApiRoutes } from '../modules/audit/plivo-routes.js';
import { auditRoutes } from '../modules/audit/routes.js';
import { balanceAlertRoutes } from '../modules/billing/balance-alerts-routes.js';
import { engineRoutes } from '../modules/billing/engine-routes.js';
import { engineStaffRoutes } from '../modules/billing/engine-staff-routes.js';
import { invoiceRoutes, invoiceStaffRoutes } from '../modules/billing/invoices-routes.js';
import { paymentRoutes } from '../modules/billing/payment-routes.js';
import { priceStaffRoutes, pricingRoutes } from '../modules/billing/price-routes.js';
import { pricingApiRoutes } from '../modules/billing/pricing-plivo-routes.js';
import { stripeWebhookRoutes } from '../modules/billing/stripe-webhook-routes.js';
import { TestGateway } from '../modules/billing/test-gateway.js';
import { testGatewayRoutes } from '../modules/billing/test-gateway-routes.js';
import { creditStaffRoutes, transactionRoutes } from '../modules/billing/transactions-routes.js';
import { usageApiRoutes } from '../modules/billing/usage-plivo-routes.js';
import { usageRoutes } from '../modules/billing/usage-routes.js';
import { credentialRoutes } from '../modules/credentials/routes.js';
import { creditEngineRoutes } from '../modules/credit-control/engine-routes.js';
import { creditRoutes } from '../modules/credit-control/routes.js';
import { endpointApiRoutes } from '../modules/endpoints/plivo-routes.js';
import { endpointRoutes } from '../modules/endpoints/routes.js';
import { passkeyRoutes } from '../modules/identity/passkey-routes.js';
import { identityRoutes } from '../modules/identity/routes.js';
import { ipWhitelistRoutes } from '../modules/ip-whitelist/routes.js';
import { lookupRoutes } from '../modules/lookup/routes.js';
import { messagingConsoleRoutes } from '../modules/messaging/console-routes.js';
import { messageApiRoutes } from '../modules/messaging/plivo-routes.js';
import { numberApiRoutes } from '../modules/numbers/plivo-routes.js';
import { numberRoutes } from '../modules/numbers/routes.js';
import { numberStaffRoutes } from '../modules/numbers/staff-routes.js';
import { ssoRoutes } from '../modules/sso/routes.js';
import { StaffAccountPage } from '../modules/staff/account-page.js';
import { staffAccountPageRoutes } from '../modules/staff/account-page-routes.js';
import { staffPasskeyRoutes } from '../modules/staff/passkey-routes.js';
import { staffRoutes } from '../modules/staff/routes.js';
import { subaccountApiRoutes } from '../modules/subaccounts/plivo-routes.js';
import { subaccountRoutes } from '../modules/subaccounts/routes.js';
import { supportRoutes } from '../modules/support/routes.js';
import { supportStaffRoutes } from '../modules/support/staff-routes.js';
import { suspiciousActivityRoutes } from '../modules/suspicious-activity/routes.js';
import { teamRoutes } from '../modules/team/routes.js';
import { voiceConsoleRoutes } from '../modules/voice/console-routes.js';
import { voiceEngineRoutes } from '../modules/voice/engine-routes.js';
import { callApiRoutes } from '../modules/voice/plivo-routes.js';
import { devOutboxRoutes } from '../notify/dev-routes.js';
import type { System } from '../system.js';
import { closedSchema } from './closed-schemas.js';
import { engineDoor } from './engine-door.js';
import { consoleErrorHandler, problemReply } from './errors.js';
import { guard } from './guard.js';
import { MAX_BODY_DEPTH, nestingExceeds, refuseUnstorableInput, tooDeep } from './input-guard.js';
import { consoleSecurity, securitySchemes } from './openapi.js';
import { countResponses, operationsRoutes } from './operations.js';
import { plivoDoor } from './plivo-door.js';
import { requestLogger } from './request-log.js';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route the server answers, for the permission-table completeness test. */
    routeList: RouteEntry[];
  }
}

const webRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
const distWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../web/dist');

/** The HTTP server: the console API (/api), the staff API (/api/staff), API docs (/docs) and the web console. */
export async function buildApp(system: System): Promise<FastifyInstance> {
  const requestTimeout = system.config.requestTimeoutSeconds * 1000;
  const app = Fastify({
    loggerInstance: requestLogger(system.log),
    trustProxy: system.config.trustProxy as boolean,
    bodyLimit: 1_048_576,
    routerOptions: { ignoreDuplicateSlashes: true },
    // A client sending a byte now and then must not hold a connection for ever: the whole request
    // has its time (408, then closed), and a connection silent either way is closed.
    requestTimeout,
    connectionTimeout: system.config.connectionTimeoutSeconds * 1000,
    http: {
      requestTimeout,
      headersTimeout: Math.min(60_000, requestTimeout),
      // Node checks the timeouts every 30 s by default, which would let a short timeout run long.
      connectionsCheckingInterval: Math.min(30_000, Math.ceil(requestTimeout / 4)),
    },
  }) as unknown as FastifyInstance;
  const routes: RouteEntry[] = [];
  app.decorate('routeList', routes);
  app.addHook('onRoute', (route) => {
    if (route.schema?.body) route.schema.body = closedSchema(route.schema.body as Record<string, unknown>);
    if (route.schema?.querystring)
      route.schema.querystring = closedSchema(route.schema.querystring as Record<string, unknown>);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') routes.push({ method, url: route.url });
    }
  });
  // Before any door is registered, so that it counts the requests of every door; only when metrics
  // are served (METRICS_TOKEN): counting costs every request, and nothing reads the counts otherwise.
  if (system.config.metricsToken !== undefined) app.addHook('onResponse', countResponses(system.metrics));
  await app.register(fastifyFormbody);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Switchboard API',
        version: '0.1.0',
        description: 'Console, staff and Plivo-compatible APIs of Switchboard',
      },
      components: { securitySchemes },
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  // Cookies belong to the console doors only: the /v1 door authenticates with Basic auth, and an
  // onSend hook there would cost every API response.
  await app.register(async (consoleDoor) => {
    await consoleDoor.register(fastifyCookie);
    consoleDoor.setErrorHandler(consoleErrorHandler);
    const parseJson = consoleDoor.getDefaultJsonParser('error', 'error');
    consoleDoor.removeContentTypeParser('application/json');
    consoleDoor.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = String(body);
      if (nestingExceeds(text, MAX_BODY_DEPTH)) return done(tooDeep(), undefined);
      return parseJson(request, text, done);
    });
    // Before the body is parsed or validated: a caller who may not use a route learns nothing more.
    consoleDoor.addHook('onRequest', guard(system));
    consoleDoor.addHook('preHandler', refuseUnstorableInput);
    consoleDoor.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, security: consoleSecurity(route.method, route.url) };
    });
    identityRoutes(consoleDoor, system);
    passkeyRoutes(consoleDoor, system);
    credentialRoutes(consoleDoor, system);
    accountSecurityRoutes(consoleDoor, system);
    ipWhitelistRoutes(consoleDoor, system);
    apiLogRoutes(consoleDoor, system);
    auditRoutes(consoleDoor, system);
    teamRoutes(consoleDoor, system);
    subaccountRoutes(consoleDoor, system);
    applicationRoutes(consoleDoor, system);
    endpointRoutes(consoleDoor, system);
    numberRoutes(consoleDoor, system);
    messagingConsoleRoutes(consoleDoor, system);
    voiceConsoleRoutes(consoleDoor, system);
    staffRoutes(consoleDoor, system);
    staffPasskeyRoutes(consoleDoor, system);
    numberStaffRoutes(consoleDoor, system);
    jobStaffRoutes(consoleDoor, system);
    engineStaffRoutes(consoleDoor, system);
    creditRoutes(consoleDoor, system);
    suspensionRoutes(consoleDoor, system);
    closureRoutes(consoleDoor, system);
    ssoRoutes(consoleDoor, system);
    transactionRoutes(consoleDoor, system);
    creditStaffRoutes(consoleDoor, system);
    priceStaffRoutes(consoleDoor, system);
    pricingRoutes(consoleDoor, system);
    usageRoutes(consoleDoor, system);
    balanceAlertRoutes(consoleDoor, system);
    paymentRoutes(consoleDoor, system);
    invoiceRoutes(consoleDoor, system);
    invoiceStaffRoutes(consoleDoor, system);
    supportRoutes(consoleDoor, system);
    supportStaffRoutes(consoleDoor, system);
    staffAccountPageRoutes(consoleDoor, { staffAccountPage: new StaffAccountPage(system) });
    suspiciousActivityRoutes(consoleDoor, system);
  });

  await plivoDoor(app, system.gate, (door) => {
    accountApiRoutes(door, system);
    subaccountApiRoutes(door, system);
    applicationApiRoutes(door, system);
    endpointApiRoutes(door, system);
    numberApiRoutes(door, system);
    messageApiRoutes(door, system);
    callApiRoutes(door, system);
    lookupRoutes(door);
    pricingApiRoutes(door, system);
    usageApiRoutes(door, system);
    auditApiRoutes(door, system);
  });

  await engineDoor(app, system.engines, (door) => {
    engineRoutes(door, system);
    creditEngineRoutes(door, system);
    voiceEngineRoutes(door, system);
  });

  // The built-in test gateway's own pages (PAYMENT_GATEWAY=test; production refuses that setting).
  if (system.payments.gateway instanceof TestGateway)
    testGatewayRoutes(app, { testGateway: system.payments.gateway, payments: system.payments });

  operationsRoutes(app, system);
  if (system.config.paymentGateway === 'stripe') await stripeWebhookRoutes(app, system);
  if (system.config.environment === 'development') devOutboxRoutes(app, system);

  const root = [webRoot, distWebRoot].find((dir) => existsSync(path.join(dir, 'index.html')));
  if (root) {
    await app.register(fastifyStatic, { root, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    const pathname = request.url.split('?')[0] ?? '/';
    if (pathname.startsWith('/api/')) {
      return problemReply(
        reply,
        404,
        'route_not_found',
        `There is no ${request.method} ${pathname} in this API.`,
      );
    }
    // In production /dev/ does not exist, not even as the console's page shell.
    const absent = pathname.startsWith('/dev/') && system.config.environment !== 'development';
    if (request.method === 'GET' && root && !absent)
      return reply.type('text/html').sendFile('index.html', root);
    return reply
      .code(404)
      .type('text/plain')
      .send(root ? 'Not found' : 'The web console is not built yet: run npm run build.');
  });
  return app;
}
