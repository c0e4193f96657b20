import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import {
  clientOf,
  memberSessionOf,
  setSessionCookie,
  staffSessionOf,
  USER_COOKIE,
} from '../../http/guard.js';
import { randomToken } from '../../lib/secrets.js';
import type { Factors } from '../identity/factors.js';
import {
  AccountParams,
  ConnectionInput,
  ConnectionParams,
  ConnectionSaved,
  SamlMetadata,
  SamlPost,
  SeeOther,
  SetSsoAvailable,
  SsoRedirect,
  SsoSettingsInput,
  SsoView,
  StaffSsoView,
  StartSsoSignIn,
  TestSignIn,
} from './schemas.js';
import type { SsoService } from './service.js';
import type { CallbackOutcome } from './sign-in.js';

/** Binds an SSO attempt to the browser that started it (login CSRF defence for the OIDC redirect). */
const BROWSER_COOKIE = 'sb_sso';
const BROWSER_COOKIE_PATH = '/api/sso';

const tags = ['Console: single sign-on'];
const staffTags = ['Staff console'];

/** What SSO needs: its service, the recent-sign-in check, and the cookie and URL settings. */
export interface SsoRoutesDeps {
  sso: Pick<
    SsoService,
    | 'view'
    | 'configure'
    | 'retest'
    | 'remove'
    | 'updateSettings'
    | 'signIn'
    | 'urls'
    | 'saml'
    | 'staffView'
    | 'setEnabled'
  >;
  security: { factors: Pick<Factors, 'assertRecentAuthentication'> };
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours' | 'publicUrl'>;
}

/** Account > Settings > Security > Configure SSO, sign-in through the identity provider, and the staff gate. */
export function ssoRoutes(parent: FastifyInstance, deps: SsoRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { sso } = deps;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });
  const accountOf = (request: FastifyRequest) => memberSessionOf(request).accountId;
  const cookieOptions = {
    path: BROWSER_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: deps.config.environment === 'production',
  };
  const bindBrowser = (reply: FastifyReply) => {
    const secret = randomToken();
    reply.setCookie(BROWSER_COOKIE, secret, { ...cookieOptions, maxAge: 15 * 60 });
    return secret;
  };
  const recentlyAuthenticated = (request: FastifyRequest) =>
    deps.security.factors.assertRecentAuthentication(memberSessionOf(request).reauthenticatedAt);

  /** Sends the browser on after an IdP's answer: into the sign-in's next step, or back with the reason. */
  const redirectAfter = (reply: FastifyReply, outcome: CallbackOutcome) => {
    reply.clearCookie(BROWSER_COOKIE, cookieOptions);
    if ('error' in outcome) {
      const query = new URLSearchParams({ sso_error: outcome.error.code, message: outcome.error.message });
      if (outcome.purpose === 'test')
        return reply.redirect(`/account/settings/security?sso_test=failed&${query}`, 303);
      return reply.redirect(`/signin?${query}`, 303);
    }
    if (outcome.purpose === 'test') return reply.redirect('/account/settings/security?sso_test=passed', 303);
    setSessionCookie(deps.config, reply, USER_COOKIE, outcome.sessionToken);
    return reply.redirect(
      outcome.stage === 'second_factor' ? '/signin?sso=second_factor' : '/onboarding',
      303,
    );
  };

  app.get(
    '/api/sso',
    {
      schema: {
        tags,
        summary: 'Configure SSO: availability, identity provider, options and callback URLs',
        response: consoleResponses({ 200: SsoView }),
      },
    },
    async (request) => sso.view(accountOf(request)),
  );

  app.post(
    '/api/sso/connections',
    {
      schema: {
        tags,
        summary:
          'Save an identity provider (OpenID Connect or SAML 2.0) under test; answers the URL of the test sign-in that activates it',
        body: ConnectionInput,
        response: consoleResponses({ 201: ConnectionSaved }, 409),
      },
    },
    async (request, reply) => {
      recentlyAuthenticated(request);
      const result = await sso.configure(
        actorOf(request),
        accountOf(request),
        request.body,
        bindBrowser(reply),
      );
      return reply.code(201).send(result);
    },
  );

  app.post(
    '/api/sso/connections/:connectionId/test',
    {
      schema: {
        tags,
        summary: 'Test sign-in through an identity provider again',
        params: ConnectionParams,
        response: consoleResponses({ 200: TestSignIn }, 404, 409),
      },
    },
    async (request, reply) =>
      sso.retest(actorOf(request), accountOf(request), request.params.connectionId, bindBrowser(reply)),
  );

  app.delete(
    '/api/sso/connections/:connectionId',
    {
      schema: {
        tags,
        summary: 'Remove an identity provider (removing the active one turns SSO sign-in off)',
        params: ConnectionParams,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      recentlyAuthenticated(request);
      await sso.remove(actorOf(request), accountOf(request), request.params.connectionId);
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/sso/settings',
    {
      schema: {
        tags,
        summary: 'Require SSO (the Owner keeps a password), and just-in-time membership with a default role',
        body: SsoSettingsInput,
        response: consoleResponses({ 200: SsoView }, 409),
      },
    },
    async (request) => {
      recentlyAuthenticated(request);
      return sso.updateSettings(actorOf(request), accountOf(request), request.body);
    },
  );

  app.post(
    '/api/sso/start',
    {
      schema: {
        tags,
        summary: "Sign in with SSO: an email or the account's Auth ID; answers the identity provider's URL",
        body: StartSsoSignIn,
        response: consoleResponses({ 200: SsoRedirect }, 404, 429),
      },
    },
    async (request, reply) => sso.signIn.start(request.body, bindBrowser(reply), clientOf(request)),
  );

  app.get(
    '/api/sso/oidc/callback',
    {
      schema: {
        tags,
        summary: 'Where the OpenID Connect provider sends the browser back (redirect URI)',
        response: consoleResponses({ 303: SeeOther }),
      },
    },
    async (request, reply) => {
      const url = new URL(request.url, deps.config.publicUrl);
      const callbackUrl = new URL(`${sso.urls.oidcRedirectUri}${url.search}`);
      const outcome = await sso.signIn.completeOidc(
        callbackUrl,
        request.cookies[BROWSER_COOKIE],
        clientOf(request),
        request.session,
      );
      return redirectAfter(reply, outcome);
    },
  );

  app.post(
    '/api/sso/saml/acs',
    {
      schema: {
        tags,
        summary:
          "SAML assertion consumer service: the identity provider's signed response (HTTP-POST binding)",
        body: SamlPost,
        response: consoleResponses({ 303: SeeOther }),
      },
    },
    async (request, reply) => {
      const outcome = await sso.signIn.completeSaml(
        request.body.SAMLResponse,
        request.body.RelayState,
        clientOf(request),
        request.session,
      );
      return redirectAfter(reply, outcome);
    },
  );

  app.get(
    '/api/sso/saml/metadata',
    {
      schema: {
        tags,
        summary: "Switchboard's SAML service-provider metadata, for the identity provider",
        response: consoleResponses({ 200: SamlMetadata }),
      },
    },
    async (_request, reply) => reply.type('application/samlmetadata+xml').send(await sso.saml.metadata()),
  );

  app.get(
    '/api/staff/accounts/:accountId/sso',
    {
      schema: {
        tags: staffTags,
        summary: 'Whether single sign-on is available to an account',
        params: AccountParams,
        response: consoleResponses({ 200: StaffSsoView }, 404),
      },
    },
    async (request) => sso.staffView(request.params.accountId),
  );

  app.put(
    '/api/staff/accounts/:accountId/sso',
    {
      schema: {
        tags: staffTags,
        summary: 'Turn single sign-on on or off for an account, with the reason the customer reads',
        params: AccountParams,
        body: SetSsoAvailable,
        response: consoleResponses({ 200: StaffSsoView }, 404),
      },
    },
    async (request) =>
      sso.setEnabled(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        request.body.enabled,
        request.body.reason,
      ),
  );
}
