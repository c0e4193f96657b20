import { type Db, executor, inTransaction } from '../../db/database.js';
import type { RateClass } from '../../db/schema.js';
import type { EventBus } from '../../events/bus.js';
import { assertThat, ValidationFailed } from '../../lib/errors.js';
import { namedFields } from '../../lib/named-fields.js';
import type { Actor, AuditLog } from '../audit/audit.js';

export const rateClasses: RateClass[] = ['standard', 'lookup', 'message'];

/** Per-account API rate limits: the operator's defaults, raised per account by staff (Enterprise). */
export class RateLimitService {
  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly defaults: Record<RateClass, number>,
    private readonly events: EventBus,
  ) {}

  async forAccount(accountId: string) {
    const overrides = await executor(this.db)
      .selectFrom('rate_limits')
      .select(['rate_class', 'requests_per_second'])
      .where('account_id', '=', accountId)
      .execute();
    return Object.fromEntries(
      rateClasses.map((rateClass) => {
        const override = overrides.find((o) => o.rate_class === rateClass);
        return [
          rateClass,
          {
            requestsPerSecond: override?.requests_per_second ?? this.defaults[rateClass],
            isDefault: !override,
            defaultRequestsPerSecond: this.defaults[rateClass],
          },
        ];
      }),
    ) as Record<
      RateClass,
      { requestsPerSecond: number; isDefault: boolean; defaultRequestsPerSecond: number }
    >;
  }

  /**
   * Sets limits for some classes; null returns a class to the operator's default. Every instance
   * applies them at once. Staff give a reason (their door requires one), audited: the customer
   * reads it in their audit log.
   */
  async set(
    actor: Actor,
    accountId: string,
    limits: Partial<Record<RateClass, number | null>>,
    reason?: string,
  ) {
    assertThat(
      reason === undefined || reason.trim() !== '',
      ValidationFailed('reason_required', 'Write why the limits change: the customer reads it.', [
        { field: 'reason', message: 'A reason is required.' },
      ]),
    );
    const invalid = rateClasses.filter((c) => typeof limits[c] === 'number' && (limits[c] as number) < 1);
    assertThat(
      invalid.length === 0,
      ValidationFailed(
        'invalid_rate_limit',
        'A limit is a whole number of requests per second from 1 to 100000; use null to return a class to the default.',
        invalid.map((field) => ({ field, message: 'Must be from 1 to 100000, or null for the default.' })),
      ),
    );
    await inTransaction(this.db, async (trx) => {
      for (const rateClass of rateClasses) {
        const value = limits[rateClass];
        if (value === undefined) continue;
        if (value === null) {
          await trx
            .deleteFrom('rate_limits')
            .where('account_id', '=', accountId)
            .where('rate_class', '=', rateClass)
            .execute();
        } else {
          await trx
            .insertInto('rate_limits')
            .values({
              account_id: accountId,
              rate_class: rateClass,
              requests_per_second: value,
              updated_by_staff: actor.staffId ?? null,
            })
            .onConflict((oc) =>
              oc
                .columns(['account_id', 'rate_class'])
                .doUpdateSet({ requests_per_second: value, updated_by_staff: actor.staffId ?? null }),
            )
            .execute();
        }
      }
      await this.audit.record(actor, {
        action: 'account.rate_limits_changed',
        accountId,
        details: { limits: namedFields(limits, rateClasses), ...(reason ? { reason: reason.trim() } : {}) },
      });
      await this.events.publish('account.changed', { accountId, what: 'rate_limits' });
    });
    return this.forAccount(accountId);
  }
}
