import type { Config } from '../../config.js';
import type { Db } from '../../db/database.js';
import type { CidrList } from '../../lib/cidr-list.js';
import type { Clock } from '../../lib/clock.js';
import type { SecretBox } from '../../lib/secrets.js';
import { type Attempt, durationInWords, type Throttle, type ThrottleRule } from '../../lib/throttle.js';
import type { Outbox } from '../../notify/outbox.js';
import type { AccountService } from '../accounts/service.js';
import type { AuditLog } from '../audit/audit.js';
import type { CredentialService } from '../credentials/service.js';
import type { Flows } from './flows.js';
import type { Passkeys } from './passkeys.js';
import type { Sessions } from './sessions.js';
import type { IdentityStore } from './store.js';

/** What the identity services are given (explicitly, so tests pass a fake clock and real everything else). */
export interface IdentityDeps {
  config: Config;
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  outbox: Outbox;
  audit: AuditLog;
  throttle: Throttle;
  flows: Flows;
  sessions: Sessions;
  store: IdentityStore;
  /** Passkeys of users and staff (one service, the principal kind a parameter). */
  passkeys: Passkeys;
  accounts: AccountService;
  credentials: CredentialService;
  vpnDenylist: () => CidrList;
  /** A member signed in to an account: the inactive account policy's clock starts again. */
  recordSignIn?: (accountId: string, at: Date) => Promise<void>;
}

/** Team (members, invitations, switching accounts): users and sessions, never sign-in throttles or flows. */
export interface TeamDeps
  extends Pick<IdentityDeps, 'db' | 'clock' | 'secrets' | 'outbox' | 'audit' | 'store' | 'sessions'> {
  config: Pick<Config, 'publicUrl'>;
  accounts: Pick<AccountService, 'view'>;
}

/** SSO: its own connections and sign-ins, the users they create, and the sign-in throttle. */
export interface SsoDeps
  extends Pick<IdentityDeps, 'db' | 'clock' | 'secrets' | 'audit' | 'throttle' | 'store' | 'sessions'> {
  config: Pick<Config, 'publicUrl'>;
  accounts: Pick<AccountService, 'view' | 'store'>;
}

/** Staff: their own users, with the flows, sessions and throttle they sign in with; no customer account. */
export interface StaffDeps
  extends Pick<
    IdentityDeps,
    'db' | 'clock' | 'secrets' | 'outbox' | 'audit' | 'throttle' | 'flows' | 'sessions' | 'passkeys'
  > {
  config: Pick<Config, 'publicUrl'>;
}

/** The browser a request came from. */
export interface Client {
  ip: string;
  userAgent: string | null;
  deviceId: string | null;
}

const minutes = (n: number) => n * 60;

/** Attempt budgets, in one place (ANSWERS.md: 5 failures per account per 15 minutes, 20 per IP). */
export const throttles = {
  signInPerAccount: {
    name: 'sign-in-account',
    points: 5,
    durationSeconds: minutes(15),
    blockSeconds: minutes(15),
    message: (seconds: number) =>
      `Too many failed attempts. Sign-in is paused for ${durationInWords(seconds)}; try again later or reset your password.`,
  },
  signInPerIp: {
    name: 'sign-in-ip',
    points: 20,
    durationSeconds: minutes(15),
    blockSeconds: minutes(15),
    message: 'Too many failed attempts from your network. Try again in 15 minutes.',
  },
  /** Lockouts per account in a day: each one doubles the pause (15, 30, 60 minutes ...). */
  lockoutsPerAccount: {
    name: 'sign-in-lockouts',
    points: 1_000_000,
    durationSeconds: 24 * 3600,
    message: 'Sign-in is paused after repeated failed attempts.',
  },
  mailPerIp: {
    name: 'mail-ip',
    points: 20,
    durationSeconds: minutes(60),
    message: 'Too many requests from your network. Try again in an hour.',
  },
  mailPerAddress: {
    name: 'mail-address',
    points: 3,
    durationSeconds: minutes(60),
    message:
      'Several emails were already sent to this address in the last hour. Check your inbox (and spam folder), or try again later.',
  },
  /** The live password check runs zxcvbn, so a network gets 2 a second on average (the form asks once per pause in typing). */
  passwordCheckPerIp: {
    name: 'password-check-ip',
    points: 120,
    durationSeconds: 60,
    message:
      'Too many password checks from your network. Wait a minute; the password is still checked when you submit.',
  },
  /**
   * Reset links per address, counted apart from the other emails: the sign-up email of a known
   * address must not make its resets run out sooner than an unknown address's, or the throttle
   * would tell which addresses have accounts.
   */
  resetPerAddress: {
    name: 'reset-address',
    points: 3,
    durationSeconds: minutes(60),
    message:
      'Several reset links were already asked for this address in the last hour. Check your inbox (and spam folder), or try again later.',
  },
} satisfies Record<string, ThrottleRule>;

/**
 * Takes one sign-in attempt from the network's and the account's budgets, before a password or a
 * code is checked: a guess beyond either budget is refused unchecked, however many arrive at once.
 */
export function takeSignInAttempt(throttle: Throttle, client: Client, accountKey: string): Promise<Attempt> {
  return throttle.take([
    [throttles.signInPerIp, client.ip],
    [throttles.signInPerAccount, accountKey],
  ]);
}
