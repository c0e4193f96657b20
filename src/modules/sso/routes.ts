import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientOf, sessionOf, setSessionCookie, USER_COOKIE } from '../../http/guard.js';
import { randomToken } from '../../lib/secrets.js';
import type { System } from '../../system.js';
import { assignableRoles } from '../team/roles.js';
import type { CallbackOutcome } from './sign-in.js';

/** Binds an SSO attempt to the browser that started it (login CSRF defence for the OIDC redirect). */
const BROWSER_COOKIE = 'sb_sso';
const BROWSER_COOKIE_PATH = '/api/sso';

const tags = ['Console: single sign-on'];
const staffTags = ['Staff console'];

const Url = Type.String({ minLength: 8, maxLength: 2000 });
// One object for both protocols (not a union of two closed objects: dropping unknown fields while
// trying the first branch would strip the second branch's fields before it is tried).
const ConnectionBody = Type.Object({
  protocol: Type.Union([Type.Literal('oidc'), Type.Literal('saml')]),
  issuer: Type.Optional(Url),
  clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  clientSecret: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  metadataXml: Type.Optional(Type.String({ minLength: 1, maxLength: 200_000 })),
  metadataUrl: Type.Optional(Url),
  entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  ssoUrl: Type.Optional(Url),
  certificate: Type.Optional(Type.String({ minLength: 1, maxLength: 20_000 })),
});
const ConnectionParams = Type.Object({ connectionId: Type.String({ format: 'uuid' }) });
const SettingsBody = Type.Object({
  requireSso: Type.Optional(Type.Boolean()),
  jitRole: Type.Optional(Type.Union([...assignableRoles.map((role) => Type.Literal(role)), Type.Null()])),
});
const StartBody = Type.Object({
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  authId: Type.Optional(Type.String({ minLength: 2, maxLength: 40 })),
});
const AcsBody = Type.Object({
  SAMLResponse: Type.String({ minLength: 1, maxLength: 500_000 }),
  RelayState: Type.Optional(Type.String({ maxLength: 200 })),
});

/** Account > Settings > Security > Configure SSO, sign-in through the identity provider, and the staff gate. */
export function ssoRoutes(app: FastifyInstance, system: System) {
  const { sso } = system;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: sessionOf(request).userId as string,
  });
  const accountOf = (request: FastifyRequest) => sessionOf(request).accountId as string;
  const cookieOptions = {
    path: BROWSER_COOKIE_PATH,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: system.config.environment === 'production',
  };
  const bindBrowser = (reply: FastifyReply) => {
    const secret = randomToken();
    reply.setCookie(BROWSER_COOKIE, secret, { ...cookieOptions, maxAge: 15 * 60 });
    return secret;
  };
  const recentlyAuthenticated = (request: FastifyRequest) =>
    system.security.factors.assertRecentAuthentication(sessionOf(request).reauthenticatedAt);

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
    setSessionCookie(system.config, reply, USER_COOKIE, outcome.sessionToken);
    return reply.redirect(
      outcome.stage === 'second_factor' ? '/signin?sso=second_factor' : '/onboarding',
      303,
    );
  };

  app.get(
    '/api/sso',
    {
      schema: { tags, summary: 'Configure SSO: availability, identity provider, options and callback URLs' },
    },
    async (request) => sso.view(accountOf(request)),
  );

  app.post<{ Body: Static<typeof ConnectionBody> }>(
    '/api/sso/connections',
    {
      schema: {
        tags,
        summary:
          'Save an identity provider (OpenID Connect or SAML 2.0) under test; answers the URL of the test sign-in that activates it',
        body: ConnectionBody,
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

  app.post<{ Params: Static<typeof ConnectionParams> }>(
    '/api/sso/connections/:connectionId/test',
    {
      schema: { tags, summary: 'Test sign-in through an identity provider again', params: ConnectionParams },
    },
    async (request, reply) =>
      sso.retest(actorOf(request), accountOf(request), request.params.connectionId, bindBrowser(reply)),
  );

  app.delete<{ Params: Static<typeof ConnectionParams> }>(
    '/api/sso/connections/:connectionId',
    {
      schema: {
        tags,
        summary: 'Remove an identity provider (removing the active one turns SSO sign-in off)',
        params: ConnectionParams,
      },
    },
    async (request, reply) => {
      recentlyAuthenticated(request);
      await sso.remove(actorOf(request), accountOf(request), request.params.connectionId);
      return reply.code(204).send();
    },
  );

  app.put<{ Body: Static<typeof SettingsBody> }>(
    '/api/sso/settings',
    {
      schema: {
        tags,
        summary: 'Require SSO (the Owner keeps a password), and just-in-time membership with a default role',
        body: SettingsBody,
      },
    },
    async (request) => {
      recentlyAuthenticated(request);
      return sso.updateSettings(actorOf(request), accountOf(request), request.body);
    },
  );

  app.post<{ Body: Static<typeof StartBody> }>(
    '/api/sso/start',
    {
      schema: {
        tags,
        summary: "Sign in with SSO: an email or the account's Auth ID; answers the identity provider's URL",
        body: StartBody,
      },
    },
    async (request, reply) => sso.signIn.start(request.body, bindBrowser(reply), clientOf(request)),
  );

  app.get(
    '/api/sso/oidc/callback',
    { schema: { tags, summary: 'Where the OpenID Connect provider sends the browser back (redirect URI)' } },
    async (request, reply) => {
      const url = new URL(request.url, system.config.publicUrl);
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

  app.post<{ Body: Static<typeof AcsBody> }>(
    '/api/sso/saml/acs',
    {
      schema: {
        tags,
        summary:
          "SAML assertion consumer service: the identity provider's signed response (HTTP-POST binding)",
        body: AcsBody,
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
    { schema: { tags, summary: "Switchboard's SAML service-provider metadata, for the identity provider" } },
    async (_request, reply) => reply.type('application/samlmetadata+xml').send(sso.saml.metadata()),
  );

  const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });
  app.get<{ Params: Static<typeof AccountParams> }>(
    '/api/staff/accounts/:accountId/sso',
    {
      schema: {
        tags: staffTags,
        summary: 'Whether single sign-on is available to an account',
        params: AccountParams,
      },
    },
    async (request) => sso.staffView(request.params.accountId),
  );

  app.put<{ Params: Static<typeof AccountParams>; Body: { enabled: boolean } }>(
    '/api/staff/accounts/:accountId/sso',
    {
      schema: {
        tags: staffTags,
        summary: 'Turn single sign-on on or off for an account',
        params: AccountParams,
        body: Type.Object({ enabled: Type.Boolean() }),
      },
    },
    async (request) =>
      sso.setEnabled(
        { ...clientOf(request), staffId: sessionOf(request).staffId },
        request.params.accountId,
        request.body.enabled,
      ),
  );
}
