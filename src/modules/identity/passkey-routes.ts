import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import {
  clearPasskeyCookie,
  clientOf,
  DEVICE_COOKIE,
  PASSKEY_COOKIES,
  sessionOf,
  setDeviceCookie,
  setPasskeyCookie,
  setSessionCookie,
  USER_COOKIE,
} from '../../http/guard.js';
import {
  AuthenticationOptions,
  NewPasskey,
  Passkey,
  PasskeyAssertion,
  PasskeyList,
  PasskeyParams,
  PasskeyRename,
  RegistrationOptions,
} from './passkey-schemas.js';
import { SignedIn } from './schemas.js';
import type { SecuritySettings } from './security.js';
import type { SignIn } from './sign-in.js';

const tags = ['Console: sign-up and sign-in'];
const settingsTags = ['Console: profile and security'];

/** What the passkey routes need: sign-in's passkey steps, the person's security settings, cookie settings. */
export interface PasskeyRoutesDeps {
  signIn: Pick<SignIn, 'passkeyOptions' | 'withPasskey' | 'passkeySignInOptions' | 'withPasskeySignIn'>;
  security: Pick<
    SecuritySettings,
    'passkeys' | 'passkeyOptions' | 'addPasskey' | 'renamePasskey' | 'removePasskey'
  >;
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours'>;
}

/** The console API of passkeys: Security's list, add, rename and remove; sign-in with one, as a second factor or alone. */
export function passkeyRoutes(parent: FastifyInstance, deps: PasskeyRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { signIn, security } = deps;
  const signedIn = (
    reply: FastifyReply,
    cookies: Record<string, string | undefined>,
    result: { sessionToken: string; deviceId: string; stage: 'full' | 'password_change' },
  ) => {
    setSessionCookie(deps.config, reply, USER_COOKIE, result.sessionToken);
    if (cookies[DEVICE_COOKIE] !== result.deviceId) setDeviceCookie(deps.config, reply, result.deviceId);
    return { stage: result.stage };
  };

  app.get(
    '/api/security/passkeys',
    {
      schema: {
        tags: settingsTags,
        summary: 'Your passkeys',
        response: consoleResponses({ 200: PasskeyList }),
      },
    },
    async (request) => ({ passkeys: await security.passkeys(sessionOf(request)) }),
  );

  app.post(
    '/api/security/passkeys/options',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add a passkey, 1 of 2: the options for the browser (after re-authentication)',
        response: consoleResponses({ 200: RegistrationOptions }),
      },
    },
    async (request) => ({ options: await security.passkeyOptions(sessionOf(request)) }),
  );

  app.post(
    '/api/security/passkeys',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add a passkey, 2 of 2: the credential the authenticator made, with a name',
        body: NewPasskey,
        response: consoleResponses({ 201: Passkey }, 409, 410),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await security.addPasskey(sessionOf(request), request.body, clientOf(request))),
  );

  app.patch(
    '/api/security/passkeys/:passkeyId',
    {
      schema: {
        tags: settingsTags,
        summary: 'Rename a passkey',
        params: PasskeyParams,
        body: PasskeyRename,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await security.renamePasskey(
        sessionOf(request),
        request.params.passkeyId,
        request.body.name,
        clientOf(request),
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/security/passkeys/:passkeyId',
    {
      schema: {
        tags: settingsTags,
        summary: 'Remove a passkey (refused when it is your last second factor)',
        params: PasskeyParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await security.removePasskey(sessionOf(request), request.params.passkeyId, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/session/passkey/options',
    {
      schema: {
        tags,
        summary: 'Sign in, step 2 with a passkey: the options for the browser',
        response: consoleResponses({ 200: AuthenticationOptions }),
      },
    },
    async (request) => ({ options: await signIn.passkeyOptions(sessionOf(request)) }),
  );

  app.post(
    '/api/session/passkey',
    {
      schema: {
        tags,
        summary: 'Sign in, step 2 with a passkey: its assertion',
        body: PasskeyAssertion,
        response: consoleResponses({ 200: SignedIn }, 410, 429),
      },
    },
    async (request, reply) =>
      signedIn(
        reply,
        request.cookies,
        await signIn.withPasskey(sessionOf(request), request.body.credential, clientOf(request)),
      ),
  );

  app.post(
    '/api/passkey-sign-in/options',
    {
      schema: {
        tags,
        summary: 'Sign in with a passkey (no password), 1 of 2: the options for the browser',
        response: consoleResponses({ 200: AuthenticationOptions }),
      },
    },
    async (_request, reply) => {
      const { options, browserToken } = await signIn.passkeySignInOptions();
      setPasskeyCookie(deps.config, reply, 'user', browserToken);
      return { options };
    },
  );

  app.post(
    '/api/passkey-sign-in',
    {
      schema: {
        tags,
        summary: 'Sign in with a passkey (no password), 2 of 2: its assertion; both factors at once',
        body: PasskeyAssertion,
        response: consoleResponses({ 200: SignedIn }, 429),
      },
    },
    async (request, reply) => {
      const result = await signIn.withPasskeySignIn(
        request.cookies[PASSKEY_COOKIES.user],
        request.body.credential,
        clientOf(request),
        request.session,
      );
      clearPasskeyCookie(deps.config, reply, 'user');
      return signedIn(reply, request.cookies, result);
    },
  );
}
