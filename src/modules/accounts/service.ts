import type { ReviewRule } from '../../config.js';
import { type Db, inTransaction } from '../../db/database.js';
import type { AccountStatus } from '../../db/schema.js';
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, type FieldProblem, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newAuthId, newId } from '../../lib/ids.js';
import { formatMoney } from '../../lib/money.js';
import { namedFields } from '../../lib/named-fields.js';
import { messages } from '../../notify/messages.js';
import type { Outbox } from '../../notify/outbox.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { emailDomain } from '../identity/work-email.js';
import {
  type BusinessProfile,
  decideActivation,
  hostOf,
  type ReviewReasonClass,
  type RiskDenylist,
  reasonClassText,
} from './activation.js';
import { AccountErrors } from './errors.js';
import type { AccountLifecycle } from './lifecycle.js';
import { AccountStore } from './store.js';

export const REVIEW_TARGET_HOURS = 24;

/** What an account's members and its API credentials may change about it; nothing else (status, whitelisting, parent) comes from a request. */
export interface AccountDetails {
  name?: string;
  city?: string;
  address?: string;
  state?: string;
  timezone?: string;
}
const ACCOUNT_DETAILS = ['name', 'city', 'address', 'state', 'timezone'] as const;

/** The class of a stored review reason ("class: detail"). */
const reasonClassOf = (reviewReason: string | null) =>
  reviewReason?.split(':')[0] as ReviewReasonClass | undefined;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone);
  } catch {
    return false;
  }
}

export interface AccountView {
  id: string;
  authId: string;
  name: string;
  status: AccountStatus;
  /** ISO 4217: the currency of the account's prices and money. */
  currency: string;
  review: { reasonClass: ReviewReasonClass; reason: string; targetHours: number } | null;
  businessProfile: BusinessProfile | null;
  createdAt: Date;
}

export class AccountService {
  readonly store: AccountStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly outbox: Outbox,
    private readonly audit: AuditLog,
    private readonly denylist: () => RiskDenylist,
    private readonly rules: ReviewRule[],
    readonly lifecycle: AccountLifecycle,
    private readonly events: EventBus,
    /** The operator's currency, which new main accounts are opened in. */
    private readonly currency: string,
  ) {
    this.store = new AccountStore(db);
  }

  /** A new main account, waiting for its creator's verification; called inside the sign-up transaction. */
  async createPendingAccount(name: string, signupIp: string): Promise<string> {
    const id = newId();
    await this.store.insert({
      id,
      auth_id: newAuthId('MA'),
      name,
      signup_ip: signupIp,
      currency: this.currency,
    });
    return id;
  }

  async view(accountId: string): Promise<AccountView> {
    const row = await this.store.byId(accountId);
    if (!row) throw NotFound(AccountErrors.notFound, 'Account not found.');
    const reasonClass = reasonClassOf(row.review_reason);
    return {
      id: row.id,
      authId: row.auth_id,
      name: row.name,
      status: row.status,
      currency: row.currency,
      review:
        row.status === 'under_review' && reasonClass
          ? { reasonClass, reason: reasonClassText[reasonClass], targetHours: REVIEW_TARGET_HOURS }
          : null,
      businessProfile: row.company_name
        ? {
            companyName: row.company_name,
            website: row.website ?? '',
            country: row.country ?? '',
            intendedUse: row.intended_use ?? '',
          }
        : null,
      createdAt: row.created_at,
    };
  }

  /**
   * Business details complete onboarding: the account becomes active at once unless an activation
   * rule holds it for review ("most accounts are activated within 24 hours"). Company name and
   * country are required; the website and intended use may be left empty, which holds the account
   * for review as an incomplete profile. An account held only for that may submit its completed
   * details: the rules run again, so it is active at once unless another rule now holds it.
   */
  async submitBusinessProfile(actor: Actor, accountId: string, ownerEmail: string, profile: BusinessProfile) {
    const fields: FieldProblem[] = [];
    if (!profile.companyName.trim())
      fields.push({ field: 'companyName', message: 'Enter your company name.' });
    if (profile.website.trim() && !hostOf(profile.website.trim()))
      fields.push({
        field: 'website',
        message: 'Enter your company website, such as acme.com, or leave it empty.',
      });
    if (!/^[A-Z]{2}$/.test(profile.country))
      fields.push({ field: 'country', message: 'Choose a country (two-letter code).' });
    assertThat(fields.length === 0, () =>
      ValidationFailed(AccountErrors.invalidBusinessProfile, 'Complete the business details.', fields),
    );
    return inTransaction(this.db, async () => {
      const account = await this.store.byId(accountId);
      assertThat(account, NotFound(AccountErrors.notFound, 'Account not found.'));
      const completing =
        account.status === 'under_review' &&
        reasonClassOf(account.review_reason) === 'incomplete_documentation';
      assertThat(
        account.status === 'pending_verification' || completing,
        Conflict(
          AccountErrors.profileAlreadySubmitted,
          'Business details were already submitted for this account.',
        ),
      );
      const decision = decideActivation({
        profile,
        emailDomain: emailDomain(ownerEmail),
        signupIp: account.signup_ip ?? actor.ip,
        denylist: this.denylist(),
        rules: this.rules,
      });
      await this.store.update(accountId, {
        // The account takes the company's name; until now it carried its creator's.
        name: profile.companyName.trim(),
        company_name: profile.companyName.trim(),
        website: profile.website.trim() || null,
        country: profile.country,
        intended_use: profile.intendedUse.trim() || null,
        review_reason: decision.outcome === 'hold' ? `${decision.reasonClass}: ${decision.reason}` : null,
      });
      const details = {
        ...(decision.outcome === 'hold'
          ? { reasonClass: decision.reasonClass, reason: decision.reason }
          : {}),
        ...(completing ? { completedProfile: true, previousReason: account.review_reason } : {}),
      };
      const to = decision.outcome === 'activate' ? 'active' : 'under_review';
      if (to === account.status) {
        // Held again, for another reason: the status stays, the reason and the details change.
        await this.audit.record(actor, { action: 'account.held_for_review', accountId, details });
      } else {
        await this.lifecycle.transition(actor, accountId, {
          to,
          by: 'system',
          reason:
            decision.outcome === 'hold' ? decision.reason : 'The business details pass the activation rules.',
          details,
        });
      }
      // The gate keeps the account's name: the API follows the new one at once.
      await this.events.publish('account.changed', { accountId, what: 'details' });
      // The owner was told of the first hold; completing the details happens in the console, which shows the outcome.
      if (decision.outcome === 'hold' && !completing) {
        const owner = await this.store.owner(accountId);
        await this.outbox.enqueue({
          channel: 'email',
          to: owner.email,
          ...messages.accountUnderReview(owner.name),
        });
      }
      return this.view(accountId);
    });
  }

  /**
   * A main account as the staff console's account page heads it: its view, time zone, when it was
   * activated and last active, and the inactive account policy's warning and flag.
   */
  async staffDetails(accountId: string) {
    const row = await this.store.byId(accountId);
    if (!row || row.parent_account_id !== null) throw NotFound(AccountErrors.notFound, 'Account not found.');
    return {
      ...(await this.view(accountId)),
      timezone: row.timezone,
      signupIp: row.signup_ip,
      activatedAt: row.activated_at,
      lastActiveAt: row.last_active_at,
      inactivity: { warnedAt: row.inactivity_warned_at, flaggedAt: row.inactivity_flagged_at },
    };
  }

  search(text: string) {
    return this.store.search(text.trim());
  }

  reviewQueue() {
    return this.store.reviewQueue();
  }

  /** Staff approve or reject an account under review, with a note; the owner is emailed either way. */
  async decideReview(actor: Actor, accountId: string, decision: 'approve' | 'reject', note: string) {
    const trimmed = note.trim();
    assertThat(
      decision === 'approve' || trimmed.length > 0,
      ValidationFailed(
        AccountErrors.noteRequired,
        'Write a note saying why the account is rejected; the customer reads it.',
        [{ field: 'note', message: 'A note is required to reject.' }],
      ),
    );
    return inTransaction(this.db, async () => {
      const account = await this.store.byId(accountId);
      assertThat(account, NotFound(AccountErrors.notFound, 'Account not found.'));
      assertThat(
        account.status === 'under_review',
        Conflict(AccountErrors.notUnderReview, 'This account is not under review.'),
      );
      await this.store.update(accountId, { reviewed_at: this.clock.now(), review_note: trimmed || null });
      await this.lifecycle.transition(actor, accountId, {
        to: decision === 'approve' ? 'active' : 'rejected',
        by: 'staff',
        reason: trimmed || 'Approved after review.',
        details: { note: trimmed },
      });
      const owner = await this.store.owner(accountId);
      const text =
        decision === 'approve'
          ? messages.accountApproved(owner.name, trimmed)
          : messages.accountRejected(owner.name, trimmed);
      await this.outbox.enqueue({ channel: 'email', to: owner.email, ...text });
      return this.view(accountId);
    });
  }

  /**
   * The account as the Plivo-compatible API answers it, from what the gate already holds, with the
   * balance (`cash_credits`): a subaccount shows its main account's, the credit it draws on.
   */
  apiView(
    account: {
      authId: string;
      details: { name: string; city: string; address: string; state: string; timezone: string };
    },
    balanceMicros: bigint,
  ) {
    return {
      account_type: 'standard',
      address: account.details.address,
      auth_id: account.authId,
      auto_recharge: false,
      billing_mode: 'prepaid',
      cash_credits: formatMoney(balanceMicros),
      city: account.details.city,
      name: account.details.name,
      resource_uri: `/v1/Account/${account.authId}/`,
      state: account.details.state,
      timezone: account.details.timezone,
    };
  }

  /** Updates the account's name, city, address, state or timezone (an IANA zone such as Asia/Kolkata). */
  async updateDetails(actor: Actor, accountId: string, changes: AccountDetails) {
    if (changes.timezone !== undefined) {
      assertThat(
        isTimeZone(changes.timezone),
        ValidationFailed(
          AccountErrors.invalidTimezone,
          `timezone "${changes.timezone}" is not a time zone; use a name such as Asia/Kolkata or America/New_York.`,
        ),
      );
    }
    if (changes.name !== undefined) {
      assertThat(
        changes.name.trim().length > 0,
        ValidationFailed(AccountErrors.invalidName, 'name must not be empty.'),
      );
    }
    const update = Object.fromEntries(
      Object.entries(namedFields(changes, ACCOUNT_DETAILS)).map(([key, value]) => [key, value.trim()]),
    );
    if (Object.keys(update).length === 0) return;
    await inTransaction(this.db, async () => {
      await this.store.update(accountId, update);
      await this.audit.record(actor, {
        action: 'account.details_updated',
        accountId,
        details: { fields: Object.keys(update) },
      });
      await this.events.publish('account.changed', { accountId, what: 'details' });
    });
  }
}
