import { type Static, Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../../config.js';
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
import type { SecuritySettings } from './security.js';
import type { SignIn } from './sign-in.js';

const Email = Type.String({ minLength: 3, maxLength: 254, description: 'A work email address' });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const Code = Type.String({ minLength: 1, maxLength: 20, description: 'A one-time code' });
const Token = Type.String({ minLength: 10, maxLength: 200, description: 'The token from an emailed link' });
const Channel = Type.Union([Type.Literal('sms'), Type.Literal('voice')], { description: 'sms or voice' });
const Method = Type.Union([Type.Literal('totp'), Type.Literal('phone'), Type.Literal('recovery_code')]);

const SignUpBody = Type.Object({ name: Type.String({ maxLength: 100 }), email: Email, password: Password });
const SignInBody = Type.Object({ email: Email, password: Password });
const TokenBody = Type.Object({ token: Token });
const PhoneBody = Type.Object({ phone: Type.String({ minLength: 3, maxLength: 32 }), channel: Channel });
const CodeBody = Type.Object({ code: Code });
const FactorBody = Type.Object({ method: Method, code: Code });
const ChannelBody = Type.Object({ channel: Channel });

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
export function identityRoutes(app: FastifyInstance, deps: IdentityRoutesDeps) {
  const { onboarding, signIn, security, accounts } = deps;
  const startSession = (reply: FastifyReply, token: string) =>
    setSessionCookie(deps.config, reply, USER_COOKIE, token);

  app.post<{ Body: Static<typeof SignUpBody> }>(
    '/api/signup',
    { schema: { tags, summary: 'Sign up with name, work email and password', body: SignUpBody } },
    async (request, reply) => {
      const result = await onboarding.signUp(request.body, clientOf(request));
      startSession(reply, result.sessionToken);
      return reply.code(201).send({ next: 'verify_email', email: request.body.email.trim().toLowerCase() });
    },
  );

  app.post<{ Body: { password: string; name?: string; email?: string } }>(
    '/api/password-check',
    {
      schema: {
        tags,
        summary: 'Explain whether a password meets the policy',
        body: Type.Object({
          password: Password,
          name: Type.Optional(Type.String({ maxLength: 100 })),
          email: Type.Optional(Type.String({ maxLength: 254 })),
        }),
      },
    },
    async (request) => onboarding.checkPassword(request.body, clientOf(request)),
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    '/api/email-verification',
    { schema: { tags, summary: 'Verify an email address with the activation link token', body: TokenBody } },
    async (request) => onboarding.verifyEmail(request.body.token, clientOf(request)),
  );

  app.post(
    '/api/email-verification/resend',
    { schema: { tags, summary: 'Send a new activation link' } },
    async (request, reply) =>
      reply
        .code(202)
        .send(await onboarding.resendVerification(userSessionOf(request).userId, clientOf(request))),
  );

  app.post<{ Body: Static<typeof PhoneBody> }>(
    '/api/onboarding/phone',
    { schema: { tags, summary: 'Send a verification code to a phone by SMS or voice', body: PhoneBody } },
    async (request, reply) =>
      reply
        .code(202)
        .send(await onboarding.startPhoneVerification(sessionOf(request), request.body, clientOf(request))),
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/onboarding/phone/verify',
    {
      schema: {
        tags,
        summary: 'Confirm the phone with its code; the phone becomes a second factor',
        body: CodeBody,
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

  const BusinessProfileBody = Type.Object({
    companyName: Type.String({ maxLength: 200 }),
    website: Type.String({ maxLength: 200 }),
    country: Type.String({ maxLength: 60 }),
    intendedUse: Type.String({ maxLength: 2000 }),
  });
  app.post<{ Body: Static<typeof BusinessProfileBody> }>(
    '/api/onboarding/business-profile',
    {
      schema: {
        tags,
        summary: 'Submit business details; the account is activated or held for review',
        body: BusinessProfileBody,
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const { accountId } = session;
      const user = await security.me(session);
      return {
        account: await accounts.submitBusinessProfile(
          { ...clientOf(request), userId: session.userId },
          accountId,
          user.email,
          request.body,
        ),
      };
    },
  );

  app.post<{ Body: Static<typeof SignInBody> }>(
    '/api/session',
    { schema: { tags, summary: 'Sign in, step 1: email and password', body: SignInBody } },
    async (request, reply) => {
      const result = await signIn.withPassword(request.body, clientOf(request), request.session);
      startSession(reply, result.sessionToken);
      return { stage: result.stage, methods: result.methods };
    },
  );

  app.get(
    '/api/session',
    { schema: { tags, summary: 'The current session, its stage and CSRF token' } },
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

  app.delete('/api/session', { schema: { tags, summary: 'Sign out' } }, async (request, reply) => {
    await signIn.signOut(sessionOf(request), clientOf(request));
    clearSessionCookie(deps.config, reply, USER_COOKIE);
    return reply.code(204).send();
  });

  app.post<{ Body: Static<typeof ChannelBody> }>(
    '/api/session/phone-code',
    { schema: { tags, summary: 'Sign in, step 2: send a code to the phone', body: ChannelBody } },
    async (request, reply) =>
      reply.code(202).send(await signIn.sendPhoneCode(sessionOf(request), request.body.channel)),
  );

  app.post<{ Body: Static<typeof FactorBody> }>(
    '/api/session/second-factor',
    {
      schema: {
        tags,
        summary: 'Sign in, step 2: a code from the app, the phone, or a recovery code',
        body: FactorBody,
      },
    },
    async (request, reply) => {
      const result = await signIn.withSecondFactor(sessionOf(request), request.body, clientOf(request));
      startSession(reply, result.sessionToken);
      if (request.cookies[DEVICE_COOKIE] !== result.deviceId)
        setDeviceCookie(deps.config, reply, result.deviceId);
      return { stage: 'full' };
    },
  );

  const ReauthBody = Type.Object({
    password: Type.Optional(Password),
    method: Type.Optional(Method),
    code: Type.Optional(Code),
  });
  app.post<{ Body: Static<typeof ReauthBody> }>(
    '/api/session/reauthenticate',
    {
      schema: {
        tags: settingsTags,
        summary: 'Confirm it is you before a sensitive change (valid 10 minutes)',
        body: ReauthBody,
      },
    },
    async (request, reply) => {
      await signIn.reauthenticate(sessionOf(request), request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { email: string } }>(
    '/api/password-reset',
    { schema: { tags, summary: 'Forgot Password: email a reset link', body: Type.Object({ email: Email }) } },
    async (request, reply) => {
      await signIn.requestPasswordReset(request.body.email, clientOf(request));
      return reply.code(202).send({
        message: 'If an account uses this email, a reset link is on its way. Check your spam folder too.',
      });
    },
  );

  app.get<{ Params: { token: string } }>(
    '/api/password-reset/:token',
    {
      schema: {
        tags,
        summary: 'Check that a reset link can still be used',
        params: Type.Object({ token: Token }),
      },
    },
    async (request) => {
      await signIn.checkResetLink(request.params.token);
      return { usable: true };
    },
  );

  app.post<{ Body: { token: string; password: string } }>(
    '/api/password-reset/complete',
    {
      schema: {
        tags,
        summary: 'Set a new password from a reset link',
        body: Type.Object({ token: Token, password: Password }),
      },
    },
    async (request) => {
      await signIn.resetPassword(request.body, clientOf(request));
      return { message: 'Your password was changed. Sign in with your new password.' };
    },
  );

  app.get(
    '/api/me',
    { schema: { tags: settingsTags, summary: 'The signed-in person, their accounts and roles' } },
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

  app.patch<{ Body: { name: string } }>(
    '/api/profile',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change your name',
        body: Type.Object({ name: Type.String({ maxLength: 100 }) }),
      },
    },
    async (request, reply) => {
      await security.rename(sessionOf(request), request.body.name, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { email: string } }>(
    '/api/profile/email',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change email: a confirmation link goes to the new address',
        body: Type.Object({ email: Email }),
      },
    },
    async (request, reply) =>
      reply
        .code(202)
        .send(await security.requestEmailChange(sessionOf(request), request.body.email, clientOf(request))),
  );

  app.post<{ Body: Static<typeof TokenBody> }>(
    '/api/email-change/confirm',
    { schema: { tags: settingsTags, summary: 'Confirm a new email address from its link', body: TokenBody } },
    async (request) => security.confirmEmailChange(request.body.token, clientOf(request)),
  );

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/profile/password',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change password; your other sessions end',
        body: Type.Object({ currentPassword: Password, newPassword: Password }),
      },
    },
    async (request, reply) => {
      await security.changePassword(sessionOf(request), request.body, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/security',
    { schema: { tags: settingsTags, summary: 'Two-factor methods and recovery codes left' } },
    async (request) => security.overview(sessionOf(request)),
  );

  app.get(
    '/api/security/sign-ins',
    { schema: { tags: settingsTags, summary: 'Your recent sign-ins' } },
    async (request) => ({
      signIns: await security.signIns(sessionOf(request)),
    }),
  );

  app.post<{ Body: Static<typeof ChannelBody> }>(
    '/api/security/phone-code',
    {
      schema: {
        tags: settingsTags,
        summary: 'Send a code to your current phone (to authenticate a change)',
        body: ChannelBody,
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.sendCurrentPhoneCode(sessionOf(request), request.body.channel)),
  );

  app.post<{ Body: Static<typeof ChannelBody> }>(
    '/api/security/authenticator',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 1 of 3: send a code to your phone',
        body: ChannelBody,
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.startAuthenticatorSetup(sessionOf(request), request.body.channel)),
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/security/authenticator/verify-phone',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 2 of 3: the phone code; answers the QR code',
        body: CodeBody,
      },
    },
    async (request) => security.verifyAuthenticatorPhoneCode(sessionOf(request), request.body.code),
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/security/authenticator/confirm',
    {
      schema: {
        tags: settingsTags,
        summary: 'Add authenticator app, 3 of 3: a code from the app',
        body: CodeBody,
      },
    },
    async (request, reply) => {
      await security.confirmAuthenticator(sessionOf(request), request.body.code, clientOf(request));
      return reply.code(204).send();
    },
  );

  app.delete(
    '/api/security/authenticator',
    { schema: { tags: settingsTags, summary: 'Remove the authenticator app' } },
    async (request, reply) => {
      await security.removeAuthenticator(sessionOf(request), clientOf(request));
      return reply.code(204).send();
    },
  );

  app.put<{ Body: { enabled: boolean } }>(
    '/api/security/phone-factor',
    {
      schema: {
        tags: settingsTags,
        summary: 'Turn phone codes on or off for sign-in',
        body: Type.Object({ enabled: Type.Boolean() }),
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
      },
    },
    async (request, reply) =>
      reply.code(201).send(await security.regenerateRecoveryCodes(sessionOf(request), clientOf(request))),
  );

  app.post<{ Body: Static<typeof FactorBody> }>(
    '/api/security/phone-change',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 1 of 3: authenticate with a current method',
        body: FactorBody,
      },
    },
    async (request) => security.startPhoneChange(sessionOf(request), request.body, clientOf(request)),
  );

  app.post<{ Body: Static<typeof PhoneBody> }>(
    '/api/security/phone-change/number',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 2 of 3: send a code to the new number',
        body: PhoneBody,
      },
    },
    async (request, reply) =>
      reply.code(202).send(await security.sendNewPhoneCode(sessionOf(request), request.body)),
  );

  app.post<{ Body: Static<typeof CodeBody> }>(
    '/api/security/phone-change/verify',
    {
      schema: {
        tags: settingsTags,
        summary: 'Change Number, 3 of 3: the code from the new number',
        body: CodeBody,
      },
    },
    async (request) => security.confirmNewPhone(sessionOf(request), request.body.code, clientOf(request)),
  );
}
