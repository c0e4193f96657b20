import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import {
  clearPasskeyCookie,
  clientOf,
  PASSKEY_COOKIES,
  STAFF_COOKIE,
  setPasskeyCookie,
  setSessionCookie,
  staffSessionOf,
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
} from '../identity/passkey-schemas.js';
import { StaffCode, StaffSignedIn } from './schemas.js';
import type { StaffService } from './service.js';

const tags = ['Staff console'];

/** What the staff door's passkey routes need: the staff service and cookie settings. */
export interface StaffPasskeyRoutesDeps {
  staff: Pick<
    StaffService,
    | 'passkeyOptions'
    | 'signInWithPasskey'
    | 'passkeySignInOptions'
    | 'signInWithPasskeyAlone'
    | 'reauthenticate'
    | 'passkeys'
    | 'passkeyRegistrationOptions'
    | 'addPasskey'
    | 'renamePasskey'
    | 'removePasskey'
  >;
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours'>;
}

/** Staff passkeys: the staff member's own security settings, and sign-in with one (second factor or alone). */
export function staffPasskeyRoutes(parent: FastifyInstance, deps: StaffPasskeyRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { staff } = deps;

  app.post(
    '/api/staff/session/passkey/options',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 2 with a passkey: the options for the browser',
        response: consoleResponses({ 200: AuthenticationOptions }),
      },
    },
    async (request) => ({ options: await staff.passkeyOptions(staffSessionOf(request)) }),
  );

  app.post(
    '/api/staff/session/passkey',
    {
      schema: {
        tags,
        summary: 'Staff sign-in, step 2 with a passkey: its assertion',
        body: PasskeyAssertion,
        response: consoleResponses({ 200: StaffSignedIn }, 429),
      },
    },
    async (request, reply) => {
      const { sessionToken } = await staff.signInWithPasskey(
        staffSessionOf(request),
        request.body.credential,
        clientOf(request),
      );
      setSessionCookie(deps.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'full' as const };
    },
  );

  app.post(
    '/api/staff/passkey-sign-in/options',
    {
      schema: {
        tags,
        summary: 'Staff sign-in with a passkey (no password), 1 of 2: the options for the browser',
        response: consoleResponses({ 200: AuthenticationOptions }),
      },
    },
    async (_request, reply) => {
      const { options, browserToken } = await staff.passkeySignInOptions();
      setPasskeyCookie(deps.config, reply, 'staff', browserToken);
      return { options };
    },
  );

  app.post(
    '/api/staff/passkey-sign-in',
    {
      schema: {
        tags,
        summary: 'Staff sign-in with a passkey (no password), 2 of 2: its assertion; both factors at once',
        body: PasskeyAssertion,
        response: consoleResponses({ 200: StaffSignedIn }, 429),
      },
    },
    async (request, reply) => {
      const { sessionToken } = await staff.signInWithPasskeyAlone(
        request.cookies[PASSKEY_COOKIES.staff],
        request.body.credential,
        clientOf(request),
        request.session,
      );
      clearPasskeyCookie(deps.config, reply, 'staff');
      setSessionCookie(deps.config, reply, STAFF_COOKIE, sessionToken);
      return { stage: 'full' as const };
    },
  );

  app.post(
    '/api/staff/session/reauthenticate',
    {
      schema: {
        tags,
        summary: 'Confirm it is you (a code from your app) before a sensitive change; valid 10 minutes',
        body: StaffCode,
        response: consoleResponses({ 204: NoContent }, 429),
      },
    },
    async (request, reply) => {
      await staff.reauthenticate(staffSessionOf(request), request.body.code, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/staff/security/passkeys',
    {
      schema: { tags, summary: 'Your passkeys', response: consoleResponses({ 200: PasskeyList }) },
    },
    async (request) => ({ passkeys: await staff.passkeys(staffSessionOf(request)) }),
  );

  app.post(
    '/api/staff/security/passkeys/options',
    {
      schema: {
        tags,
        summary: 'Add a passkey, 1 of 2: the options for the browser (after re-authentication)',
        response: consoleResponses({ 200: RegistrationOptions }),
      },
    },
    async (request) => ({ options: await staff.passkeyRegistrationOptions(staffSessionOf(request)) }),
  );

  app.post(
    '/api/staff/security/passkeys',
    {
      schema: {
        tags,
        summary: 'Add a passkey, 2 of 2: the credential the authenticator made, with a name',
        body: NewPasskey,
        response: consoleResponses({ 201: Passkey }, 409, 410),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await staff.addPasskey(staffSessionOf(request), request.body, clientOf(request))),
  );

  app.patch(
    '/api/staff/security/passkeys/:passkeyId',
    {
      schema: {
        tags,
        summary: 'Rename a passkey',
        params: PasskeyParams,
        body: PasskeyRename,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await staff.renamePasskey(
        staffSessionOf(request),
        request.params.passkeyId,
        request.body.name,
        clientOf(request),
      );
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/staff/security/passkeys/:passkeyId',
    {
      schema: {
        tags,
        summary: 'Remove a passkey',
        params: PasskeyParams,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      await staff.removePasskey(staffSessionOf(request), request.params.passkeyId, clientOf(request));
      return reply.code(204).send();
    },
  );
}
