import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { AccountView } from '../identity/schemas.js';

export const SetupTokenParams = Type.Object({ token: Type.String() });

/** What a setup link is for, with the authenticator app's secret and QR code. */
export const SetupDetails = Type.Object({
  email: Type.String(),
  name: Type.String(),
  secret: Type.String(),
  otpauthUri: Type.String(),
  qrCode: Type.String({ description: 'a data: URL of the QR code image' }),
});
export type SetupDetails = Static<typeof SetupDetails>;

export const CompleteSetup = Type.Object({
  token: Type.String(),
  password: Type.String({ maxLength: 256 }),
  code: Type.String({ maxLength: 12 }),
});
export type CompleteSetup = Static<typeof CompleteSetup>;

export const StaffPasswordSignIn = Type.Object({
  email: Type.String({ maxLength: 254 }),
  password: Type.String({ maxLength: 256 }),
});
export type StaffPasswordSignIn = Static<typeof StaffPasswordSignIn>;

/** Step 1 done: the code step is a change made before the session can be read, so its CSRF token comes here. */
export const StaffPasswordAccepted = Type.Object({
  stage: Type.Literal('second_factor'),
  csrfToken: Type.String(),
});
export type StaffPasswordAccepted = Static<typeof StaffPasswordAccepted>;

export const StaffCode = Type.Object({ code: Type.String({ maxLength: 12 }) });
export type StaffCode = Static<typeof StaffCode>;

export const StaffSignedIn = Type.Object({ stage: Type.Literal('full') });
export type StaffSignedIn = Static<typeof StaffSignedIn>;

export const StaffMember = Type.Object({
  id: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('staff_admin'), Type.Literal('agent')]),
});
export type StaffMember = Static<typeof StaffMember>;

/** GET /api/staff/session: the signed-in staff member and the session's CSRF token. */
export const StaffSessionView = Type.Object({ csrfToken: Type.String(), staff: StaffMember });
export type StaffSessionView = Static<typeof StaffSessionView>;

/** An account held for activation review, with its owner and business details. */
export const AccountUnderReview = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authId: Type.String(),
  name: Type.String(),
  reviewReason: Type.Union([Type.String(), Type.Null()]),
  companyName: Type.Union([Type.String(), Type.Null()]),
  website: Type.Union([Type.String(), Type.Null()]),
  country: Type.Union([Type.String(), Type.Null()]),
  intendedUse: Type.Union([Type.String(), Type.Null()]),
  signupIp: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp(),
  ownerEmail: Type.String(),
  ownerName: Type.String(),
});
export type AccountUnderReview = Wire<Static<typeof AccountUnderReview>>;

export const ReviewQueue = Type.Object({ accounts: Type.Array(AccountUnderReview) });
export type ReviewQueue = Wire<Static<typeof ReviewQueue>>;

export const AccountSearchQuery = Type.Object({ q: Type.String({ minLength: 2, maxLength: 200 }) });

/** An account found by the staff search (Auth ID, name, company name, owner email or a rented phone number). */
export const AccountMatch = Type.Object({
  id: Type.String({ format: 'uuid' }),
  authId: Type.String(),
  name: Type.String(),
  status: Type.String(),
  ownerEmail: Type.String(),
  createdAt: Timestamp(),
});
export type AccountMatch = Wire<Static<typeof AccountMatch>>;

export const AccountMatches = Type.Object({ accounts: Type.Array(AccountMatch) });
export type AccountMatches = Wire<Static<typeof AccountMatches>>;

export const AccountParams = Type.Object({ accountId: Type.String({ format: 'uuid' }) });

/** An account's limit for one class of API requests; isDefault when it follows the operator's default. */
export const RateLimit = Type.Object({
  requestsPerSecond: Type.Integer(),
  isDefault: Type.Boolean(),
  defaultRequestsPerSecond: Type.Integer(),
});
export type RateLimit = Static<typeof RateLimit>;

export const RateLimits = Type.Object({
  limits: Type.Object({ standard: RateLimit, lookup: RateLimit, message: RateLimit }),
});
export type RateLimits = Static<typeof RateLimits>;

// One JSON type list, not a union: with a union the validator's type coercion turns null into 0 or 0 into null.
const Limit = Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 0, maximum: 100_000 });

/** Requests per second per class; null returns a class to the operator's default. */
/** Why staff change something on an account: the customer reads it in their audit log. */
export const StaffReason = Type.String({
  minLength: 1,
  maxLength: 500,
  description: 'why: shown to the customer in their audit log',
});

export const SetRateLimits = Type.Object({
  standard: Type.Optional(Limit),
  lookup: Type.Optional(Limit),
  message: Type.Optional(Limit),
  reason: StaffReason,
});
export type SetRateLimits = Static<typeof SetRateLimits>;

export const ReviewDecision = Type.Object({
  decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  note: Type.String({ maxLength: 2000 }),
});
export type ReviewDecision = Static<typeof ReviewDecision>;

export const ReviewDecided = Type.Object({ account: AccountView });
export type ReviewDecided = Wire<Static<typeof ReviewDecided>>;
