import { type Db, inTransaction } from '../../db/database.js';
import type { Clock } from '../../lib/clock.js';
import { formatMoney } from '../../lib/money.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { Payments } from '../billing/payments.js';
import type { UsageSummaryService } from '../billing/usage-summary.js';
import type { CredentialService } from '../credentials/service.js';
import { describeBrowser, type SignIn } from '../identity/sign-in.js';
import type { TeamService } from '../team/service.js';
import { AccountSecurityStore } from './store.js';

const DAY_MS = 86_400_000;
/** What the review shows: sign-ins and team changes of 30 days, receipts of 30 days, usage of 7 days. */
export const REVIEW_DAYS = { signIns: 30, receipts: 30, usage: 7, teamChanges: 30 } as const;
export const SUPPORT_URL = '/support';

/** What "Secure my account" uses of other modules: their services only. */
export interface SecureAccountDeps {
  db: Db;
  clock: Clock;
  outbox: Pick<Outbox, 'enqueue'>;
  audit: AuditLog;
  credentials: Pick<CredentialService, 'replaceAll'>;
  signIn: Pick<SignIn, 'requireNewPassword'>;
  team: Pick<TeamService, 'view'>;
  payments: Pick<Payments, 'history'>;
  usageSummary: Pick<UsageSummaryService, 'resolve' | 'summary'>;
  accounts: { view(accountId: string): Promise<{ name: string; authId: string }> };
}

/**
 * "What should I do if my account is compromised?" as one action (Account > Settings > Security):
 * the Auth Token regenerated and every other revoked (subaccounts' too, if asked), every session
 * of every member ended, a new password required of each at the next sign-in; then what to review.
 */
export class SecureAccount {
  readonly store: AccountSecurityStore;

  constructor(private readonly deps: SecureAccountDeps) {
    this.store = new AccountSecurityStore(deps.db);
  }

  /** Secures the account; the person doing it keeps the session they did it from. Audited; the Owner and Admins are emailed. */
  async secure(
    actor: Actor & { userId: string; sessionId: string },
    accountId: string,
    input: { includeSubaccounts: boolean },
  ) {
    const { clock, outbox, audit, credentials, signIn, team, accounts } = this.deps;
    const result = await inTransaction(this.deps.db, async () => {
      const subaccountIds = input.includeSubaccounts ? await this.store.subaccountIds(accountId) : [];
      const issued = await credentials.replaceAll(actor, [accountId, ...subaccountIds]);
      const { members } = await team.view(accountId);
      const userIds = members.map((m) => m.userId);
      await signIn.requireNewPassword(userIds, actor.sessionId);
      const account = await accounts.view(accountId);
      const by = members.find((m) => m.userId === actor.userId);
      const steps = [
        'A new Auth Token was generated and every other token of the account was revoked.',
        ...(subaccountIds.length > 0
          ? [`The tokens of ${subaccountIds.length} subaccount(s) were replaced as well.`]
          : []),
        'Every member was signed out everywhere.',
        'Each member must set a new password at their next sign-in.',
      ];
      await audit.record(actor, {
        action: 'account.secured',
        accountId,
        details: {
          includeSubaccounts: input.includeSubaccounts,
          subaccounts: subaccountIds.length,
          members: userIds.length,
        },
      });
      for (const contact of await this.store.contacts(accountId)) {
        await outbox.enqueue({
          channel: 'email',
          to: contact.email,
          ...messages.accountSecured(
            contact.name,
            account.name,
            by ? `${by.name} (${by.email})` : 'An Admin',
            steps,
          ),
        });
      }
      return {
        authToken: issued[0]?.token as string,
        subaccountsRevoked: subaccountIds.length,
        membersSignedOut: userIds.length,
        securedAt: clock.now(),
      };
    });
    return { ...result, review: await this.review(accountId) };
  }

  /** What to review next: sign-ins, receipts, usage, team changes with the members, and support. */
  async review(accountId: string) {
    const now = this.deps.clock.now();
    const since = (days: number) => new Date(now.getTime() - days * DAY_MS);
    const account = await this.deps.accounts.view(accountId);
    const [signIns, payments, teamChanges, team] = await Promise.all([
      this.store.signIns(accountId, since(REVIEW_DAYS.signIns), 50),
      this.deps.payments.history(accountId, 200),
      this.store.teamChanges(accountId, since(REVIEW_DAYS.teamChanges), 100),
      this.deps.team.view(accountId),
    ]);
    const filter = await this.deps.usageSummary.resolve(
      { mainAccountId: accountId, mainAuthId: account.authId, subaccount: null },
      { from: dayOf(since(REVIEW_DAYS.usage - 1)), to: dayOf(now) },
    );
    const usage = await this.deps.usageSummary.summary(filter);
    return {
      signIns: signIns.map((s) => ({
        at: s.at,
        email: s.email,
        place: s.ip,
        device: describeBrowser(s.userAgent),
      })),
      receipts: payments
        .filter((p) => p.credited_at && p.credited_at >= since(REVIEW_DAYS.receipts))
        .map((p) => ({
          id: p.id,
          number: Number(p.number),
          at: p.credited_at as Date,
          amount: formatMoney(p.amount_micros),
          currency: p.currency,
          card: p.brand && p.last4 ? `${p.brand} •••• ${p.last4}` : null,
          reversed: p.reversed_at !== null,
        })),
      usage: {
        from: filter.from,
        to: filter.to,
        currency: filter.currency,
        days: usage.days.map((d) => ({
          day: d.day,
          events: Number(d.events),
          amount: formatMoney(d.amountMicros),
        })),
      },
      teamChanges: teamChanges.map((c) => ({
        at: c.at,
        action: c.action,
        byEmail: c.byEmail,
        summary: describeTeamChange(c.action, c.details ?? {}, team.members),
      })),
      members: team.members.map((m) => ({ userId: m.userId, name: m.name, email: m.email, role: m.role })),
      supportUrl: SUPPORT_URL,
    };
  }
}

const teamActions: Record<string, string> = {
  'team.member_invited': 'invited',
  'team.invitation_resent': 'invitation resent',
  'team.invitation_revoked': 'invitation revoked',
  'team.invitation_accepted': 'invitation accepted',
  'team.member_joined': 'joined',
  'team.role_changed': 'role changed',
  'team.member_removed': 'removed',
};

/** A team change in words: what happened, to whom, with which role. */
function describeTeamChange(
  action: string,
  details: Record<string, unknown>,
  members: { userId: string; email: string }[],
): string {
  const who =
    (typeof details.email === 'string' && details.email) ||
    members.find((m) => m.userId === details.userId)?.email ||
    (typeof details.userId === 'string' ? `user ${details.userId}` : '');
  const role =
    typeof details.to === 'string'
      ? `${String(details.from)} → ${details.to}`
      : typeof details.role === 'string'
        ? details.role
        : '';
  return [teamActions[action] ?? action, who, role && `(${role})`].filter(Boolean).join(' ');
}

/** A UTC calendar day (the usage summary's days are the account's local days; a day's edge is close enough here). */
function dayOf(at: Date): string {
  return at.toISOString().slice(0, 10);
}
