import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RateClass, SuspensionReason } from '../../db/schema.js';
import { type ApiKeyResource, apiKeyPermissions } from '../../http/permissions.js';
import type { Clock } from '../../lib/clock.js';
import { Forbidden, NotFound, RateLimited, Unauthorized } from '../../lib/errors.js';
import type { Throttle } from '../../lib/throttle.js';
import { suspensionReasons } from '../accounts/suspensions.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { API_KEY_ID } from '../credentials/api-keys.js';
import type { AccountCache, GateAccount, GateKey } from './account-cache.js';
import { GateErrors } from './errors.js';
import type { RateCounter, RateDecision } from './rate-counter.js';
import type { RequestLog } from './request-log.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The calling account, set by the gate on every /v1 request. */
    apiAccount: GateAccount;
    apiTokenId?: string;
    /** The restricted API key the request came with, if it came with one rather than an Auth Token. */
    apiKey?: GateKey;
    apiId: string;
  }
  interface FastifyContextConfig {
    rateClass?: GateRateClass;
  }
}

/**
 * What a /v1 route's requests count against: an account's rate class (staff override them per
 * account), or `message_request`, the operator's limit on POST …/Message/ requests (the Message
 * rate class is how fast queued messages leave, not a request limit).
 */
export type GateRateClass = RateClass | 'message_request';

const failedAuthRule = {
  name: 'api-auth-failures',
  points: 100,
  durationSeconds: 60,
  blockSeconds: 60,
  message:
    'Too many requests with wrong credentials from your address. Wait a minute, then check your Auth ID and Auth Token.',
};

const statusRefusals: Partial<Record<GateAccount['status'], { code: string; message: string }>> = {
  suspended: {
    code: GateErrors.accountSuspended,
    message:
      'This account is suspended. Check your email for the suspension notice (and your spam folder), then contact support with your Auth ID.',
  },
  closed: {
    code: GateErrors.accountClosed,
    message: 'This account is closed. Contact support if you believe this is a mistake.',
  },
  rejected: {
    code: GateErrors.accountRejected,
    message: 'This account was not activated after review. Contact support for details.',
  },
};

/** The suspended account's refusal, with its reason and what to do. */
const suspendedBecause = (reason: SuspensionReason) =>
  `This account is suspended: ${suspensionReasons[reason].label}. ${suspensionReasons[reason].address} The suspension notice was emailed to the Owner and Admins (check spam too); request reinstatement from the console.`;

export interface GateDeps {
  cache: AccountCache;
  counter: RateCounter;
  requestLog: RequestLog;
  throttle: Throttle;
  audit: AuditLog;
  clock: Clock;
  defaultLimits: Record<GateRateClass, number>;
  /** Counts a request refused for the account's rate limit (the /metrics counter). */
  countRateLimitRefusal: (rateClass: GateRateClass) => void;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

const AUTH_ID_SHAPE = /^[A-Za-z0-9]{1,64}$/;

/** Whether the header starts with the Basic scheme and a space; the scheme's name is case-insensitive (RFC 7235). */
function isBasicScheme(header: string): boolean {
  return (
    header.length > 6 &&
    (header.charCodeAt(0) | 0x20) === 0x62 &&
    (header.charCodeAt(1) | 0x20) === 0x61 &&
    (header.charCodeAt(2) | 0x20) === 0x73 &&
    (header.charCodeAt(3) | 0x20) === 0x69 &&
    (header.charCodeAt(4) | 0x20) === 0x63 &&
    header.charCodeAt(5) === 0x20
  );
}

/** Whether the header starts with the Bearer scheme and a space (case-insensitive scheme). */
function isBearerScheme(header: string): boolean {
  return header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ';
}

type Presented =
  | { kind: 'token'; authId: string; token: string }
  | { kind: 'key'; keyId: string; secret: string };

/**
 * The credentials a request presents: HTTP Basic `Auth ID:Auth Token` or `key id:secret` (so the
 * SDKs take a key unchanged), or `Bearer <key id>.<secret>` for a key.
 */
function parseCredentials(header: string | undefined): Presented | null {
  if (header === undefined) return null;
  if (isBearerScheme(header)) {
    const bearer = header.slice(7).trim();
    const dot = bearer.indexOf('.');
    if (dot <= 0 || !API_KEY_ID.test(bearer.slice(0, dot))) return null;
    return { kind: 'key', keyId: bearer.slice(0, dot), secret: bearer.slice(dot + 1) };
  }
  if (!isBasicScheme(header)) return null;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  // An Auth ID or key id is letters and digits: anything else (a NUL byte) is not looked up.
  if (colon <= 0 || !AUTH_ID_SHAPE.test(decoded.slice(0, colon))) return null;
  const user = decoded.slice(0, colon);
  const secret = decoded.slice(colon + 1);
  return API_KEY_ID.test(user)
    ? { kind: 'key', keyId: user, secret }
    : { kind: 'token', authId: user, token: secret };
}

/** Refuses a key the route's permission (fail closed: a /v1 route the table does not name refuses every key). */
function assertKeyMay(request: FastifyRequest, key: GateKey) {
  // An unknown path is answered 404 by the door, for keys as for tokens.
  if (request.is404) return;
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  const needed = apiKeyPermissions[`${method} ${request.routeOptions.url}`];
  if (!needed)
    throw Forbidden(
      GateErrors.apiKeyNotPermitted,
      `API keys cannot call ${request.method} ${pathOf(request.url)}: use the account's Auth ID and Auth Token.`,
    );
  if (key.permissions.full_access) return;
  const [resource, action] = needed.split(':') as [ApiKeyResource, string];
  if (!key.permissions.grants[resource]?.includes(action))
    throw Forbidden(
      GateErrors.apiKeyNotPermitted,
      `The API key ${key.keyId} lacks the permission ${needed}. An Owner or Admin can give it under Account > Settings > Credentials > API Keys.`,
    );
}

/**
 * The one gate every /v1 request passes: Basic auth against the account's live tokens, account
 * state, IP whitelist, and the per-account rate limit of the route's class. On a warm account it
 * touches no database; the request log is written in batches.
 */
export function createGate(deps: GateDeps) {
  const recentlyAuditedRefusals = new Map<string, number>();

  async function auditIpRefusal(account: GateAccount, ip: string, request: FastifyRequest) {
    const key = `${account.id}|${ip}`;
    const now = deps.clock.now().getTime();
    // One audit event per account and address per minute: a refused client retrying in a loop must not flood the log.
    if ((recentlyAuditedRefusals.get(key) ?? 0) > now - 60_000) return;
    recentlyAuditedRefusals.set(key, now);
    if (recentlyAuditedRefusals.size > 10_000) recentlyAuditedRefusals.clear();
    const actor: Actor = { ip, userAgent: request.headers['user-agent']?.slice(0, 400) ?? null };
    await deps.audit.record(actor, {
      action: 'api.refused_ip_not_whitelisted',
      accountId: account.id,
      details: { method: request.method, path: request.url.split('?')[0] },
    });
  }

  /** Records every request of a known account in the API request log (Logs > API), refused ones included. */
  function record(request: FastifyRequest, reply: FastifyReply, done: () => void) {
    if (request.apiAccount) {
      deps.requestLog.record({
        accountId: request.apiAccount.id,
        apiId: request.apiId,
        method: request.method,
        path: pathOf(request.url),
        status: reply.statusCode,
        ip: request.ip,
        durationMs: Math.round(reply.elapsedTime),
        at: deps.clock.now(),
        tokenId: request.apiTokenId ?? null,
        keyId: request.apiKey?.id ?? null,
      });
    }
    done();
  }

  /**
   * The onRequest hook. On a warm account with the in-memory counter every step is synchronous, so
   * a request costs no promise here (measured: an async hook cost a fifth of the gate's throughput).
   */
  function check(request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) {
    let pending: Promise<void> | undefined;
    try {
      pending = admit(request, reply);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (pending) pending.then(() => done(), done);
    else done();
  }

  function admit(request: FastifyRequest, reply: FastifyReply): Promise<void> | undefined {
    request.apiId = deps.requestLog.nextApiId();
    const credentials = parseCredentials(request.headers.authorization);
    if (!credentials) {
      reply.header('www-authenticate', 'Basic realm="Switchboard API"');
      throw Unauthorized(
        GateErrors.authenticationRequired,
        'Authentication required: send your Auth ID and Auth Token (or an API key id and secret) with HTTP Basic auth.',
      );
    }
    if (credentials.kind === 'key') {
      const cachedKey = deps.cache.cachedKey(credentials.keyId, credentials.secret);
      if (cachedKey) return admitKey(request, reply, cachedKey);
      return authenticateKey(request, reply, credentials);
    }
    const cached = deps.cache.cached(credentials.authId, credentials.token);
    if (cached) return admitAccount(request, reply, cached);
    return authenticate(request, reply, credentials);
  }

  async function authenticateKey(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: { keyId: string; secret: string },
  ) {
    await deps.throttle.check(failedAuthRule, request.ip);
    const authenticated = await deps.cache.authenticateKey(credentials.keyId, credentials.secret);
    if (!authenticated) {
      await deps.throttle.consume(failedAuthRule, request.ip).catch(() => {});
      reply.header('www-authenticate', 'Basic realm="Switchboard API"');
      throw Unauthorized(
        GateErrors.authenticationFailed,
        'Authentication failed: the API key id or secret is not right, or the key was revoked.',
      );
    }
    await admitKey(request, reply, authenticated);
  }

  /** A key is admitted as its account is, and then only before its expiry, from its sources, for what it may do. */
  function admitKey(
    request: FastifyRequest,
    reply: FastifyReply,
    { account, key }: { account: GateAccount; key: GateKey },
  ): Promise<void> | undefined {
    if (key.expiresAt && key.expiresAt.getTime() <= deps.clock.now().getTime()) {
      reply.header('www-authenticate', 'Basic realm="Switchboard API"');
      throw Unauthorized(
        GateErrors.apiKeyExpired,
        `The API key ${key.keyId} expired at ${key.expiresAt.toISOString()}: create a new one under Account > Settings > Credentials > API Keys.`,
      );
    }
    request.apiKey = key;
    const admitted = admitAccount(request, reply, { account, tokenId: null });
    const checkKey = () => {
      if (key.sources && !key.sources.contains(request.ip))
        throw Forbidden(
          GateErrors.apiKeySourceRefused,
          `Requests from ${request.ip} are not allowed for the API key ${key.keyId}: its source addresses do not include it.`,
        );
      assertKeyMay(request, key);
    };
    if (admitted) return admitted.then(checkKey);
    checkKey();
    return undefined;
  }

  /** The cold path: the token's digest checked against the database, failures throttled per address. */
  async function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    credentials: { authId: string; token: string },
  ) {
    await deps.throttle.check(failedAuthRule, request.ip);
    const authenticated = await deps.cache.authenticate(credentials.authId, credentials.token);
    if (!authenticated) {
      deps.requestLog.recordFailedAuthentication(credentials.authId, request.ip, deps.clock.now());
      await deps.throttle.consume(failedAuthRule, request.ip).catch(() => {});
      reply.header('www-authenticate', 'Basic realm="Switchboard API"');
      throw Unauthorized(
        GateErrors.authenticationFailed,
        'Authentication failed: the Auth ID or Auth Token is not right.',
      );
    }
    await admitAccount(request, reply, authenticated);
  }

  function admitAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    { account, tokenId }: { account: GateAccount; tokenId: string | null },
  ): Promise<void> | undefined {
    request.apiAccount = account;
    if (tokenId) request.apiTokenId = tokenId;
    const refusal = statusRefusals[account.status];
    if (refusal)
      throw Forbidden(
        refusal.code,
        account.status === 'suspended' && account.suspensionReason
          ? suspendedBecause(account.suspensionReason)
          : refusal.message,
      );
    if (!account.enabled) {
      throw Forbidden(
        GateErrors.subaccountDisabled,
        'This subaccount is disabled. Its main account can enable it again.',
      );
    }
    if (account.whitelist && !account.whitelist.contains(request.ip)) {
      return auditIpRefusal(account, request.ip, request).then(() => {
        throw Forbidden(
          GateErrors.ipNotWhitelisted,
          `Requests from ${request.ip} are not allowed for this account: add it under Account > Settings > IP Whitelisting.`,
        );
      });
    }
    // Every request the account may make is counted once, here, whatever it asks for: a path of
    // another account or no route at all costs the caller as any other request does.
    const rateClass = request.routeOptions.config.rateClass ?? 'standard';
    const limit =
      (rateClass === 'message_request' ? undefined : account.limits[rateClass]) ??
      deps.defaultLimits[rateClass];
    // Subaccounts draw on their main account's limit, as they draw on its credits.
    const decision = deps.counter.hit(
      `${account.main?.id ?? account.id}:${rateClass}`,
      limit,
      deps.clock.now().getTime(),
    );
    if (decision instanceof Promise) {
      return decision.then((decided) => {
        applyLimit(reply, rateClass, limit, decided);
        assertOwnPath(request, account);
      });
    }
    applyLimit(reply, rateClass, limit, decision);
    assertOwnPath(request, account);
    return undefined;
  }

  /** The account in the path must be the caller's own; any other answers 404, never a hint that it exists, before the body is even read. */
  function assertOwnPath(request: FastifyRequest, account: GateAccount) {
    const pathAuthId = (request.params as { authId?: string } | undefined)?.authId;
    if (pathAuthId !== undefined && pathAuthId !== account.authId) {
      throw NotFound(GateErrors.accountNotFound, `Account ${pathAuthId} not found.`);
    }
  }

  function applyLimit(reply: FastifyReply, rateClass: GateRateClass, limit: number, decision: RateDecision) {
    const resetSeconds = Math.max(1, Math.ceil(decision.resetMs / 1000));
    reply.header('x-ratelimit-limit', String(limit));
    reply.header('x-ratelimit-remaining', String(decision.remaining));
    reply.header('x-ratelimit-reset', String(resetSeconds));
    if (!decision.admitted) {
      deps.countRateLimitRefusal(rateClass);
      throw RateLimited(
        `Too many requests: this account may make ${limit} ${rateClass} API requests per second. Retry after ${resetSeconds} second${resetSeconds === 1 ? '' : 's'}.`,
        resetSeconds,
      );
    }
  }

  return { check, record };
}

export type Gate = ReturnType<typeof createGate>;
