import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import {
  clearSessionCookie,
  clientOf,
  DEVICE_COOKIE,
  memberSessionOf,
  sessionOf,
  setDeviceCookie,
  setSessionCookie,
  USER_COOKIE,
  userSessionOf,
} from '../../http/guard.js';
import type { AccountService } from '../accounts/service.js';
import { hasSecondFactor } from './factors.js';
import type { Onboarding } from './onboarding.js';
import {
  BusinessProfileInput,
  BusinessProfileSubmitted,
  ChangePassword,
  ChannelInput,
  CodeInput,
  CodeSent,
  CompleteReset,
  ConsoleSession,
  EmailAnswer,
  EmailChangeRequested,
  EmailInput,
  FactorInput,
  LinkToken,
  LinkTokenParams,
  Me,
  NewPassword,
  NewPhoneCodeSent,
  Notice,
  PasswordChanged,
  PasswordCheck,
  PasswordCheckInput,
  PhoneAnswer,
  PhoneChangeAuthenticated,
  PhoneCodeSent,
  PhoneFactorSwitch,
  PhoneInput,
  Provisioning,
  Reauthenticate,
  RecoveryCodes,
  Rename,
  ResetLinkUsable,
  SecurityOverview,
  SignedIn,
  SignedUp,
  SignInInput,
  SignInStep,
  SignIns,
  SignUp,
} from './schemas.js';
import type { SecuritySettings } from './security.js';
import type { SignIn } from './sign-in.js';

const tags = ['Console: sign-up and sign-in'];
const settingsTags = ['Console: profile and security'];

/** What onboarding, sign-in and the security settings need: their services, the account shown, cookie settings. */
export interface IdentityRoutesDeps {
  onboarding: Pick<
    Onboarding,
    | 'checkPassword'
    | 'confirmPhone'
    | 'resendVerification'
    | 'signUp'
    | 'startPhoneVerification'
    | 'verifyEmail'
  >;
  signIn: Pick<
    SignIn,
    | 'checkResetLink'
    | 'reauthenticate'
    | 'requestPasswordReset'
    | 'resetPassword'
    | 'sendPhoneCode'
    | 'setNewPassword'
    | 'signOut'
    | 'withPassword'
    | 'withSecondFactor'
  >;
  /** The person's own security settings (a member's role included). */
  security: SecuritySettings;
  accounts: Pick<AccountService, 'view' | 'submitBusinessProfile'>;
  config: Pick<Config, 'environment' | 'sessionAbsoluteHours'>;
}

/** The console API of onboarding, sign-in and the person's own security settings. */
export function identityRoutes(parent: FastifyInstance, deps: IdentityRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { onboarding, signIn, security, accounts } = deps;
  const startSession = (reply: FastifyReply, token: string) =>
    setSessionCookie(deps.config, reply, USER_COOKIE, token);

  app.post(
    '/api/signup',
    {
      schema: {
        tags,
        summary: 'Sign up with name, work email and password',
        body: SignUp,
        response: consoleResponses({ 201: SignedUp }, 409, 429),
      },
    },
    async (request, reply) => {
      const result = await onboarding.signUp(request.body, clientOf(request));
      startSession(reply, result.sessionToken);
      return reply
        .code(201)
        .send({ next: 'verify_email' as const, email: request.body.email.trim().toLowerCase() });
    },
  );

  app.post(
    '/api/password-check',
    {
      schema: {
        tags,
        summary: 'Explain whether a password meets the policy',
        body: PasswordCheckInput,
        response: consoleResponses({ 200: PasswordCheck }, 429),
      },
    },
    async (request) => onboarding.checkPassword(request.body, clientOf(request)),
  );

  app.post(
    '/api/email-verification',
    {
      schema: {
        tags,
        summary: 'Verify an email address with the activation link token',
        body: LinkToken,
        response: consoleResponses({ 200: EmailAnswer }, 404, 409, 410),
      },
    },
    async (request) => onboarding.verifyEmail(request.body.token, clientOf(request)),
  );

  app.post(
    '/api/email-verification/resend',
    {
      schema: {
        tags,
        summary: 'Send a new activation link',
        response: consoleResponses({ 202: EmailAnswer }, 409, 429),
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await onboarding.resendVerification(userSessionOf(request).userId, clientOf(request))),
  );

  app.post(
    '/api/onboarding/phone',
    {
      schema: {
        tags,
        summary: 'Send a verification code to a phone by SMS or voice',
        body: PhoneInput,
        response: consoleResponses({ 202: PhoneCodeSent }, 409, 429),
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await onboarding.startPhoneVerification(sessionOf(request), request.body, clientOf(request))),
  );

  app.post(
    '/api/onboarding/phone/verify',
    {
      schema: {
        tags,
        summary: 'Confirm the phone with its code; the phone becomes a second factor',
        body: CodeInput,
        response: consoleResponses({ 200: PhoneAnswer }, 404, 410),
      },
    },
    async (request, reply) => {
      const result = await onboarding.confirmPhone(sessionOf(request), request.body.code, clientOf(request));
      startSession(reply, result.sessionToken);
      if (request.cookies[DEVICE_COOKIE] !== result.deviceId)
        setDeviceCookie(deps.config, reply, result.deviceId);
      return { phone: result.phone };
    },
  );

  app.post(
    '/api/onboarding/business-profile',
    {
      schema: {
        tags,
        summary: 'Submit business details; the account is activated or held for review',
        body: BusinessProfileInput,
        response: consoleResponses({ 200: BusinessProfileSubmitted }, 404, 409),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const user = await security.me(session);
      return {
        account: await accounts.submitBusinessProfile(
          { ...clientOf(request), userId: session.userId },
          session.accountId,
          user.email,
          request.body,
        ),
      };
    },
  );

  app.post(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'Sign in, step 1: email and password',
        body: SignInInput,
        response: consoleResponses({ 200: SignInStep }, 429),
      },
    },
    async (request, reply) => {
      const result = await signIn.withPassword(request.body, clientOf(request), request.session);
      startSession(reply, result.sessionToken);
      return { stage: result.stage, methods: result.methods };
    },
  );

  app.get(
    '/api/session',
    {
      schema: {
        tags,
        summary: 'The current session, its stage and CSRF token',
        response: consoleResponses({ 200: ConsoleSession }),
      },
    },
    async (request) => {
      const session = sessionOf(request);
      const user = await security.me(session);
      return {
        stage: session.stage,
        csrfToken: session.csrfToken,
        user: { id: user.id, name: user.name, email: user.email },
        onboarding: {
          emailVerified: Boolean(user.email_verified_at),
          phoneVerified: Boolean(user.phone_verified_at),
          secondFactor: hasSecondFactor(user),
        },
        methods: session.stage === 'second_factor' ? security.methods(user) : [],
        account: session.accountId
          ? {
              ...(await accounts.view(session.accountId)),
              role: (await security.roleIn(session)) ?? null,
            }
          : null,
      };
    },
  );

  app.delete(
    '/api/session',
    { schema: { tags, summary: 'Sign out', response: consoleResponses({ 204: NoContent }) } },
    async (request, reply) => {
      await signIn.signOut(sessionOf(request), clientOf(request));
      clearSessionCookie(deps.config, reply, USER_COOKIE);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/session/phone-code',
    {
      schema: {
        tags,
        summary: 'Sign in, step 2: send a code to the phone',
        body: ChannelInput,
        response: consoleResponses({ 202: CodeSent }, 429),
      },
    },
    async (request, reply) =>
      reply.code(202).send(await signIn.sendPhoneCode(sessionOf(request), request.body.channel)),
  );

  app.post(
    '/api/session/second-factor',
    {
      schema: {
        tags,
        summary: 'Sign in, step 2: a code from the app, the phone, or a recovery code',
        body: FactorInput,
        response: consoleResponses({ 200: SignedIn }, 404, 410, 429),
      },
    },
    async (request, reply) => {
      const result = await signIn.withSecondFactor(sessionOf(request), request.body, clientOf(request));
      startSession(reply, result.sessionToken);
      if (request.cookies[DEVICE_COOKIE] !== result.deviceId)
        setDeviceCookie(deps.config, reply, result.deviceId);
      return { stage: result.stage };
    },
  );

  app.post(
    '/api/session/new-password',
    {
      schema: {
        tags,
        summary: 'Sign in, last step after "Secure my account": set a new password',
        body: NewPassword,
        response: consoleResponses({ 200: PasswordChanged }),
      },
    },
    async (request, reply) => {
      const result = await signIn.setNewPassword(
        userSessionOf(request),
        request.body.password,
        clientOf(request),
      );
      startSession(reply, result.sessionToken);
      return { stage: 'full' as const };
    },
  );

  app.post(
    '/api/session/reauthenticate',
    {
      schema: {
        tags: settingsTags,
        summary: 'Confirm it is you before a sensitive change (valid 10 minutes)',
        body: Reauthenticate,
        response: consoleResponses({ 204: NoContent }, 404, 410, 429),
      },
    },
    async (request, reply) => {
      await signIn.reauthenticate(sessionOf(request), request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/password-reset',
    {
      schema: {
        tags,
        summary: 'Forgot Password: email a reset link',
        body: EmailInput,
        response: consoleResponses({ 202: Notice }, 429),
      },
    },
    async (request, reply) => {
      await signIn.requestPasswordReset(request.body.email, clientOf(request));
      return reply.code(202).send({
        message: 'If an account uses this email, a reset link is on its way. Check your spam folder too.',
      });
    },
  );

  app.get(
    '/api/password-reset/:token',
    {
      schema: {
        tags,
        summary: 'Check that a reset link can still be used',
        params: LinkTokenParams,
        response: consoleResponses({ 200: ResetLinkUsable }, 404, 410),
      },
    },
    async (request) => {
      await signIn.checkResetLink(request.params.token);
      return { usable: true as const };
    },
  );

  app.post(
    '/api/password-reset/complete',
    {
      schema: {
        tags,
        summary: 'Set a new password from a reset link',
        body: CompleteReset,
        response: consoleResponses({ 200: Notice }, 404, 410),
      },
    },
    async (request) => {
      await signIn.resetPassword(request.body, clientOf(request));
      return { message: 'Your password was changed. Sign in with your new password.' };
    },
  );

  app.get(
    '/api/me',
    {
      schema: {
        tags: settingsTags,
        summary: 'The signed-in person, their accounts and roles',
        response: consoleResponses({ 200: Me }),
      },
    },
    async (request) => {
      const session = sessionOf(request);
      const user = await security.me(session);
      return {
        user: { id: user.id, name: user.name, email: user.email },
        account: session.accountId ? await accounts.view(session.accountId) : null,
        memberships: await security.memberships(session),
      };
    },
  );

  app.patch(
    '/api/profile',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change your name',
        body: Rename,
        response: consoleResponses({ 204: NoContent }),
      },
    },
    async (request, reply) => {
      await security.rename(sessionOf(request), request.body.name, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/profile/email',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change email: a confirmation link goes to the new address',
        body: EmailInput,
        response: consoleResponses({ 202: EmailChangeRequested }, 409, 429),
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await security.requestEmailChange(sessionOf(request), request.body.email, clientOf(request))),
  );

  app.post(
    '/api/email-change/confirm',
    {
      schema: {
        tags: settingsTags,
        summary: 'Confirm a new email address from its link',
        body: LinkToken,
        response: consoleResponses({ 200: EmailAnswer }, 404, 409, 410),
      },
    },
    async (request) => security.confirmEmailChange(request.body.token, clientOf(request)),
  );

  app.post(
    '/api/profile/password',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change password; your other sessions end',
        body: ChangePassword,
        response: consoleResponses({ 204: NoContent }, 429),
      },
    },
    async (request, reply) => {
      await security.changePassword(sessionOf(request), request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/security',
    {
      schema: {
        tags: settingsTags,
        summary: 'Two-factor methods and recovery codes left',
        response: consoleResponses({ 200: SecurityOverview }),
      },
    },
    async (request) => security.overview(sessionOf(request)),
  );

  app.get(
    '/api/security/sign-ins',
    {
      schema: {
        tags: settingsTags,
        summary: 'Your recent sign-ins',
        response: consoleResponses({ 200: SignIns }),
      },
    },
    async (request) => ({ signIns: await security.signIns(sessionOf(request)) }),
  );

  app.post(
    '/api/security/phone-code',
    {
      schema: {
        tags: settingsTags,
        summary: 'Send a code to your current phone (to authenticate a change)',
        body: ChannelInput,
        response: consoleResponses({ 202: CodeSent }, 429),
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.sendCurrentPhoneCode(sessionOf(request), request.body.channel)),
  );

  app.post(
    '/api/security/authenticator',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 1 of 3: send a code to your phone',
        body: ChannelInput,
        response: consoleResponses({ 202: CodeSent }, 409, 429),
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.startAuthenticatorSetup(sessionOf(request), request.body.channel)),
  );

  app.post(
    '/api/security/authenticator/verify-phone',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 2 of 3: the phone code; answers the QR code',
        body: CodeInput,
        response: consoleResponses({ 200: Provisioning }, 404, 410),
      },
    },
    async (request) => security.verifyAuthenticatorPhoneCode(sessionOf(request), request.body.code),
  );

  app.post(
    '/api/security/authenticator/confirm',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 3 of 3: a code from the app',
        body: CodeInput,
        response: consoleResponses({ 204: NoContent }, 404, 409, 410),
      },
    },
    async (request, reply) => {
      await security.confirmAuthenticator(sessionOf(request), request.body.code, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/security/authenticator',
    {
      schema: {
        tags: settingsTags,
        summary: 'Remove the authenticator app',
        response: consoleResponses({ 204: NoContent }, 409),
      },
    },
    async (request, reply) => {
      await security.removeAuthenticator(sessionOf(request), clientOf(request));
      return reply.code(204).send();
    },
  );

  app.put(
    '/api/security/phone-factor',
    {
      schema: {
        tags: settingsTags,
        summary: 'Turn phone codes on or off for sign-in',
        body: PhoneFactorSwitch,
        response: consoleResponses({ 204: NoContent }, 409),
      },
    },
    async (request, reply) => {
      await security.setPhoneFactor(sessionOf(request), request.body.enabled, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/security/recovery-codes',
    {
      schema: {
        tags: settingsTags,
        summary: 'Generate 10 recovery codes (shown once; replaces the old set)',
        response: consoleResponses({ 201: RecoveryCodes }),
      },
    },
    async (request, reply) =>
      reply.code(201).send(await security.regenerateRecoveryCodes(sessionOf(request), clientOf(request))),
  );

  app.post(
    '/api/security/phone-change',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 1 of 3: authenticate with a current method',
        body: FactorInput,
        response: consoleResponses({ 200: PhoneChangeAuthenticated }, 404, 410, 429),
      },
    },
    async (request) => security.startPhoneChange(sessionOf(request), request.body, clientOf(request)),
  );

  app.post(
    '/api/security/phone-change/number',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 2 of 3: send a code to the new number',
        body: PhoneInput,
        response: consoleResponses({ 202: NewPhoneCodeSent }, 404, 410, 429),
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.sendNewPhoneCode(sessionOf(request), request.body)),
  );

  app.post(
    '/api/security/phone-change/verify',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 3 of 3: the code from the new number',
        body: CodeInput,
        response: consoleResponses({ 200: PhoneAnswer }, 404, 410),
      },
    },
    async (request) => security.confirmNewPhone(sessionOf(request), request.body.code, clientOf(request)),
  );
}
