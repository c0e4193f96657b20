import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { Role } from '../team/schemas.js';

/**
 * An account as the console shows it to its members and to staff. Status is a plain string: the
 * account lifecycle owns the list of states, and a serializer must never refuse a new one.
 */
export const AccountView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authId: Type.String(),
  name: Type.String(),
  status: Type.String({
    description: 'pending_verification, under_review, active, rejected, suspended, closed',
  }),
  currency: Type.String({ description: "ISO 4217: the currency of the account's prices and money" }),
  review: Type.Union([
    Type.Object({
      reasonClass: Type.String(),
      reason: Type.String(),
      targetHours: Type.Integer({ description: 'the target for a decision, in hours' }),
    }),
    Type.Null(),
  ]),
  businessProfile: Type.Union([
    Type.Object({
      companyName: Type.String(),
      website: Type.String(),
      country: Type.String(),
      intendedUse: Type.String(),
    }),
    Type.Null(),
  ]),
  createdAt: Timestamp(),
});
export type AccountView = Wire<Static<typeof AccountView>>;

const Email = Type.String({ minLength: 3, maxLength: 254, description: 'A work email address' });
const Password = Type.String({ minLength: 1, maxLength: 256 });
const Code = Type.String({ minLength: 1, maxLength: 20, description: 'A one-time code' });
const Token = Type.String({ minLength: 10, maxLength: 200, description: 'The token from an emailed link' });
const Name = Type.String({ maxLength: 100 });

export const PhoneChannel = Type.Union([Type.Literal('sms'), Type.Literal('voice')], {
  description: 'sms or voice',
});
export type PhoneChannel = Static<typeof PhoneChannel>;

/** A second factor: a code from the authenticator app, one sent to the phone, or a recovery code. */
export const FactorMethod = Type.Union([
  Type.Literal('totp'),
  Type.Literal('phone'),
  Type.Literal('recovery_code'),
]);
export type FactorMethod = Static<typeof FactorMethod>;
/** What a sign-in's second step may offer: a code's method, or a passkey. */
export const SignInMethod = Type.Union([FactorMethod, Type.Literal('passkey')]);
export type SignInMethod = Static<typeof SignInMethod>;

export const SessionStage = Type.Union([
  Type.Literal('onboarding'),
  Type.Literal('second_factor'),
  Type.Literal('password_change'),
  Type.Literal('full'),
]);

/** A person as the console names them. */
const Person = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  email: Type.String(),
});

export const SignUp = Type.Object({ name: Name, email: Email, password: Password });
export type SignUp = Static<typeof SignUp>;
export const SignedUp = Type.Object({ next: Type.Literal('verify_email'), email: Type.String() });

export const PasswordCheckInput = Type.Object({
  password: Password,
  name: Type.Optional(Name),
  email: Type.Optional(Type.String({ maxLength: 254 })),
});
export const PasswordCheck = Type.Object({
  acceptable: Type.Boolean(),
  problems: Type.Array(Type.String(), { description: 'why the policy refuses it, in words' }),
});
export type PasswordCheck = Static<typeof PasswordCheck>;

export const LinkToken = Type.Object({ token: Token });
export const LinkTokenParams = Type.Object({ token: Token });
/** The address an email link or a resent link is about. */
export const EmailAnswer = Type.Object({ email: Type.String() });
export type EmailAnswer = Static<typeof EmailAnswer>;

export const PhoneInput = Type.Object({
  phone: Type.String({ minLength: 3, maxLength: 32 }),
  channel: PhoneChannel,
});
export type PhoneInput = Static<typeof PhoneInput>;
export const ChannelInput = Type.Object({ channel: PhoneChannel });
export type ChannelInput = Static<typeof ChannelInput>;
export const CodeInput = Type.Object({ code: Code });
export type CodeInput = Static<typeof CodeInput>;
export const FactorInput = Type.Object({ method: FactorMethod, code: Code });
export type FactorInput = Static<typeof FactorInput>;

/** A code went out; it works for this many seconds. */
export const CodeSent = Type.Object({ expiresInSeconds: Type.Integer() });
export type CodeSent = Static<typeof CodeSent>;
/** Onboarding's phone code went out to this number (E.164). */
export const PhoneCodeSent = Type.Object({
  phone: Type.String(),
  channel: PhoneChannel,
  expiresInSeconds: Type.Integer(),
});
export type PhoneCodeSent = Static<typeof PhoneCodeSent>;
export const NewPhoneCodeSent = Type.Object({ phone: Type.String(), expiresInSeconds: Type.Integer() });
export type NewPhoneCodeSent = Static<typeof NewPhoneCodeSent>;
/** The phone now proven (masked once it replaced another). */
export const PhoneAnswer = Type.Object({ phone: Type.String() });
export type PhoneAnswer = Static<typeof PhoneAnswer>;

export const BusinessProfileInput = Type.Object({
  companyName: Type.String({ maxLength: 200 }),
  website: Type.String({ maxLength: 200 }),
  country: Type.String({ maxLength: 60 }),
  intendedUse: Type.String({ maxLength: 2000 }),
});
export type BusinessProfileInput = Static<typeof BusinessProfileInput>;
export const BusinessProfileSubmitted = Type.Object({ account: AccountView });
export type BusinessProfileSubmitted = Wire<Static<typeof BusinessProfileSubmitted>>;

export const SignInInput = Type.Object({ email: Email, password: Password });
export type SignInInput = Static<typeof SignInInput>;
/** After the password: the second step, if any, and the methods it can use. */
export const SignInStep = Type.Object({
  stage: Type.Union([Type.Literal('onboarding'), Type.Literal('second_factor')]),
  methods: Type.Array(SignInMethod),
});
export type SignInStep = Static<typeof SignInStep>;
/** Signed in; or, after "Secure my account", one step left: set a new password. */
export const SignedIn = Type.Object({
  stage: Type.Union([Type.Literal('full'), Type.Literal('password_change')]),
});
export type SignedIn = Static<typeof SignedIn>;
/** The new password a person must set after "Secure my account", before anything else. */
export const NewPassword = Type.Object({ password: Password });
export type NewPassword = Static<typeof NewPassword>;
export const PasswordChanged = Type.Object({ stage: Type.Literal('full') });
export type PasswordChanged = Static<typeof PasswordChanged>;

/** GET /api/session: who is signed in, how far, and the CSRF token of the session. */
export const ConsoleSession = Type.Object({
  stage: SessionStage,
  csrfToken: Type.String(),
  user: Person,
  onboarding: Type.Object({
    emailVerified: Type.Boolean(),
    phoneVerified: Type.Boolean(),
    secondFactor: Type.Boolean(),
  }),
  methods: Type.Array(SignInMethod, { description: 'the second factors, while signing in' }),
  account: Type.Union([
    Type.Composite([AccountView, Type.Object({ role: Type.Union([Role, Type.Null()]) })]),
    Type.Null(),
  ]),
});
export type ConsoleSession = Wire<Static<typeof ConsoleSession>>;

export const Reauthenticate = Type.Object({
  password: Type.Optional(Password),
  method: Type.Optional(FactorMethod),
  code: Type.Optional(Code),
});
export type Reauthenticate = Static<typeof Reauthenticate>;

export const EmailInput = Type.Object({ email: Email });
export type EmailInput = Static<typeof EmailInput>;
/** A message for the person, the same whatever happened behind it. */
export const Notice = Type.Object({ message: Type.String() });
export type Notice = Static<typeof Notice>;
export const ResetLinkUsable = Type.Object({ usable: Type.Literal(true) });
export const CompleteReset = Type.Object({ token: Token, password: Password });
export type CompleteReset = Static<typeof CompleteReset>;

/** GET /api/me: the person, the current account and every membership with its role. */
export const Me = Type.Object({
  user: Person,
  account: Type.Union([AccountView, Type.Null()]),
  memberships: Type.Array(
    Type.Object({
      accountId: Type.String({ format: 'uuid' }),
      name: Type.String(),
      authId: Type.String(),
      status: Type.String(),
      role: Role,
    }),
  ),
});
export type Me = Wire<Static<typeof Me>>;

export const Rename = Type.Object({ name: Name });
export type Rename = Static<typeof Rename>;
export const EmailChangeRequested = Type.Object({ pendingEmail: Type.String() });
export type EmailChangeRequested = Static<typeof EmailChangeRequested>;
export const ChangePassword = Type.Object({ currentPassword: Password, newPassword: Password });
export type ChangePassword = Static<typeof ChangePassword>;

/** GET /api/security: the person's two-factor methods and recovery codes left. */
export const SecurityOverview = Type.Object({
  phone: Type.Object({
    number: Type.Union([Type.String({ description: 'masked' }), Type.Null()]),
    verified: Type.Boolean(),
    enabled: Type.Boolean(),
  }),
  authenticatorApp: Type.Object({
    enabled: Type.Boolean(),
    enabledAt: Type.Union([Timestamp(), Type.Null()]),
  }),
  recoveryCodes: Type.Object({ remaining: Type.Integer() }),
});
export type SecurityOverview = Wire<Static<typeof SecurityOverview>>;

/** One sign-in as the audit log recorded it; details keep whatever the sign-in wrote. */
export const SignInEvent = Type.Object({
  at: Timestamp(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  details: Type.Union([
    Type.Object(
      {
        method: Type.Optional(SignInMethod),
        browser: Type.Optional(Type.String()),
        newDevice: Type.Optional(Type.Boolean()),
        stage: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
    Type.Null(),
  ]),
});
export const SignIns = Type.Object({ signIns: Type.Array(SignInEvent) });
export type SignIns = Wire<Static<typeof SignIns>>;

/** Add authenticator app, step 2: what to scan (or type) into the app. */
export const Provisioning = Type.Object({
  secret: Type.String(),
  otpauthUri: Type.String(),
  qrCode: Type.String({ description: 'a data: URL of the QR code image' }),
});
export type Provisioning = Static<typeof Provisioning>;
export const PhoneFactorSwitch = Type.Object({ enabled: Type.Boolean() });
export type PhoneFactorSwitch = Static<typeof PhoneFactorSwitch>;
export const RecoveryCodes = Type.Object({ codes: Type.Array(Type.String(), { description: 'shown once' }) });
export type RecoveryCodes = Static<typeof RecoveryCodes>;
export const PhoneChangeAuthenticated = Type.Object({ authenticated: Type.Literal(true) });
