import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import type { Role } from '../db/schema.js';
import { Forbidden } from '../lib/errors.js';
import { constantTimeEqual } from '../lib/secrets.js';
import type { Client } from '../modules/identity/deps.js';
import type { SecuritySettings } from '../modules/identity/security.js';
import type { Session, Sessions } from '../modules/identity/sessions.js';
import { roleNames } from '../modules/team/roles.js';
import { problemReply } from './errors.js';
import { type Access, permissions } from './permissions.js';

declare module 'fastify' {
  interface FastifyRequest {
    session: Session | null;
    /** The member's role in the session's account, on routes the permission table restricts by role. */
    role?: Role;
  }
}

export const USER_COOKIE = 'sb_session';
export const STAFF_COOKIE = 'sb_staff_session';
export const DEVICE_COOKIE = 'sb_device';
/** The browser's side of a password-less passkey sign-in's challenge (one per door). */
export const PASSKEY_COOKIES = { user: 'sb_passkey', staff: 'sb_staff_passkey' } as const;

export const clientOf = (request: FastifyRequest): Client => ({
  ip: request.ip,
  userAgent: request.headers['user-agent']?.slice(0, 400) ?? null,
  deviceId: request.cookies[DEVICE_COOKIE] ?? null,
});

/** The signed-in session of a route guarded by the permission table (never null there). */
export function sessionOf(request: FastifyRequest): Session {
  if (!request.session)
    throw new Error('route reached without a session: check its entry in the permission table');
  return request.session;
}

/** A member fully signed in (second factor done), acting in an account. */
export type MemberSession = Session & { principal: 'user'; stage: 'full'; userId: string; accountId: string };

const isMemberSession = (session: Session): session is MemberSession =>
  session.principal === 'user' &&
  session.stage === 'full' &&
  session.userId !== null &&
  session.accountId !== null;

/**
 * The session of a route open to members (permission table: member): a user signed in with the
 * second factor, acting in an account. A user whose last membership ended has no account to act in.
 */
export function memberSessionOf(request: FastifyRequest): MemberSession {
  const session = sessionOf(request);
  if (!isMemberSession(session))
    throw Forbidden(
      'no_account',
      'You are not a member of any account now. Ask an Owner to invite you again.',
    );
  return session;
}

/** A user's session at any stage (onboarding, second factor or full). */
export type UserSession = Session & { principal: 'user'; userId: string };

/** The session of a route open to users at any stage (permission table: any_session, onboarding, second_factor, member). */
export function userSessionOf(request: FastifyRequest): UserSession {
  const session = sessionOf(request);
  if (!isUserSession(session))
    throw new Error('user route reached with a staff session: check its entry in the permission table');
  return session;
}

const isUserSession = (session: Session): session is UserSession =>
  session.principal === 'user' && session.userId !== null;

/** Staff signed in (any stage). */
export type StaffSession = Session & { principal: 'staff'; staffId: string };

/** The session of a route of the staff door. */
export function staffSessionOf(request: FastifyRequest): StaffSession {
  const session = sessionOf(request);
  if (!isStaffSession(session))
    throw new Error('staff route reached with a user session: check its entry in the permission table');
  return session;
}

const isStaffSession = (session: Session): session is StaffSession =>
  session.principal === 'staff' && session.staffId !== null;

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The host of an Origin header, or null for "null" and anything else that is not a URL. */
function hostOf(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

/** What the guard reads: where the console is served, the sessions, and a member's role. */
export interface GuardDeps {
  config: Pick<Config, 'publicUrl'>;
  sessions: Pick<Sessions, 'resolve'>;
  security: Pick<SecuritySettings, 'roleIn'>;
}

const stageRequired: Partial<Record<Access, Session['stage'][]>> = {
  any_session: ['onboarding', 'second_factor', 'password_change', 'full'],
  onboarding: ['onboarding'],
  second_factor: ['second_factor'],
  password_change: ['password_change'],
  member: ['full'],
  staff_any_session: ['second_factor', 'full'],
  staff_second_factor: ['second_factor'],
  staff: ['full'],
};

/**
 * Runs first on every /api request: looks the route up in the permission table (unknown routes are
 * refused), resolves the session, checks its stage, and applies the CSRF defence to unsafe methods
 * (a strict Origin check, and the session's CSRF token in X-CSRF-Token).
 */
export function guard(deps: GuardDeps) {
  const allowedOrigin = new URL(deps.config.publicUrl).origin;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    request.session = null;
    const entry = permissions[`${request.method} ${request.routeOptions.url}`];
    if (!entry) {
      request.log.error({ route: request.routeOptions.url }, 'route has no entry in the permission table');
      return problemReply(reply, 403, 'not_permitted', 'This operation is not permitted.');
    }
    if (UNSAFE.has(request.method) && entry !== 'idp_post') {
      const origin = request.headers.origin;
      const sameHost = origin && request.headers.host && hostOf(origin) === request.headers.host;
      if (origin && origin !== allowedOrigin && !sameHost) {
        return problemReply(
          reply,
          403,
          'cross_site_request',
          'This request came from another site and was refused.',
        );
      }
    }
    const { access, roles } = typeof entry === 'string' ? { access: entry, roles: undefined } : entry;
    // Engine routes live behind the engine door's own key check; one reached here would be unguarded.
    if (access === 'engine')
      return problemReply(reply, 403, 'not_permitted', 'This operation is not permitted.');
    const staffDoor = access.startsWith('staff');
    const token = request.cookies[staffDoor ? STAFF_COOKIE : USER_COOKIE];
    const session = token ? await deps.sessions.resolve(token, staffDoor ? 'staff' : 'user') : null;
    const stages = stageRequired[access];
    if (!stages) {
      request.session = session;
      return;
    }
    if (!session) {
      return problemReply(
        reply,
        401,
        'sign_in_required',
        'Sign in to continue; your session may have expired.',
      );
    }
    if (!stages.includes(session.stage)) {
      const why: Record<string, [string, string]> = {
        onboarding: [
          'verification_incomplete',
          'Finish verifying your email and phone, and set up two-factor authentication, first.',
        ],
        second_factor: ['second_factor_required', 'Enter your two-factor code to finish signing in.'],
        password_change: [
          'password_change_required',
          'Set a new password to finish signing in: your account was secured by its Owner or an Admin.',
        ],
        full: ['already_verified', 'This step is already done.'],
      };
      const [code, message] = why[session.stage] ?? ['not_permitted', 'This operation is not permitted now.'];
      return problemReply(reply, 403, code, message);
    }
    if (UNSAFE.has(request.method)) {
      const csrf = request.headers['x-csrf-token'];
      if (typeof csrf !== 'string' || !constantTimeEqual(csrf, session.csrfToken)) {
        return problemReply(
          reply,
          403,
          'csrf_token_invalid',
          'Reload the page and try again (the security token was missing or stale).',
        );
      }
    }
    if (roles) {
      const role = session.accountId ? await deps.security.roleIn(session) : undefined;
      if (!role || !roles.includes(role)) {
        return problemReply(
          reply,
          403,
          'role_not_permitted',
          `Your role${role ? ` (${roleNames[role]})` : ''} cannot do this. Ask an Owner or Admin of the account.`,
        );
      }
      request.role = role;
    }
    request.session = session;
  };
}

/** What the cookies depend on: Secure in production, and a session's absolute lifetime. */
export type CookieSettings = Pick<Config, 'environment' | 'sessionAbsoluteHours'>;

export function setSessionCookie(settings: CookieSettings, reply: FastifyReply, name: string, token: string) {
  reply.setCookie(name, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.environment === 'production',
    maxAge: settings.sessionAbsoluteHours * 3600,
  });
}

export function clearSessionCookie(settings: CookieSettings, reply: FastifyReply, name: string) {
  reply.clearCookie(name, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.environment === 'production',
  });
}

export function setDeviceCookie(settings: CookieSettings, reply: FastifyReply, deviceId: string) {
  reply.setCookie(DEVICE_COOKIE, deviceId, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: settings.environment === 'production',
    maxAge: 400 * 24 * 3600,
  });
}

/** Binds a password-less passkey challenge to this browser for the five minutes it lives. */
export function setPasskeyCookie(
  settings: CookieSettings,
  reply: FastifyReply,
  door: keyof typeof PASSKEY_COOKIES,
  token: string,
) {
  reply.setCookie(PASSKEY_COOKIES[door], token, {
    path: '/api',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.environment === 'production',
    maxAge: 300,
  });
}

export function clearPasskeyCookie(
  settings: CookieSettings,
  reply: FastifyReply,
  door: keyof typeof PASSKEY_COOKIES,
) {
  reply.clearCookie(PASSKEY_COOKIES[door], {
    path: '/api',
    httpOnly: true,
    sameSite: 'strict',
    secure: settings.environment === 'production',
  });
}
