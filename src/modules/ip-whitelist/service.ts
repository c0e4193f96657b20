import { type Db, inTransaction } from '../../db/database.js';
import type { EventBus } from '../../events/bus.js';
import { CidrList, canonicalCidr } from '../../lib/cidr-list.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { IpWhitelistStore } from './store.js';

/** Account > Settings > IP Whitelisting: CIDR addresses allowed to call the API, and the switch that enforces them. */
export class IpWhitelistService {
  private readonly store: IpWhitelistStore;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly events: EventBus,
  ) {
    this.store = new IpWhitelistStore(db);
  }

  async view(accountId: string) {
    const [enabled, entries] = await Promise.all([
      this.store.enabled(accountId),
      this.store.entries(accountId),
    ]);
    return { enabled, entries };
  }

  /** + Add CIDR Address: IPv4 or IPv6 in CIDR form (a bare address means just that address). */
  async add(actor: Actor, accountId: string, input: string) {
    let cidr: string;
    try {
      cidr = canonicalCidr(input);
    } catch (error) {
      throw ValidationFailed(
        'invalid_cidr',
        `${(error as Error).message}. Use CIDR form such as 192.0.2.0/24, 1.1.1.1/32 or 2001:db8::/32.`,
        [{ field: 'cidr', message: 'Not a valid CIDR address.' }],
      );
    }
    return inTransaction(this.db, async () => {
      const existing = await this.store.entries(accountId);
      assertThat(
        !existing.some((e) => e.cidr === cidr),
        Conflict('cidr_exists', `${cidr} is already in the list.`),
      );
      const id = newId();
      await this.store.insert({ id, account_id: accountId, cidr, created_by: actor.userId ?? null });
      await this.audit.record(actor, { action: 'ip_whitelist.added', accountId, details: { cidr, input } });
      await this.events.publish('account.changed', { accountId, what: 'ip_whitelist' });
      return { id, cidr };
    });
  }

  /**
   * Removes an address. While whitelisting is enforced, removing the last one is refused (turn
   * whitelisting off instead), and removing the one that covers the person's own address needs
   * the same confirmation as enabling.
   */
  async remove(actor: Actor, accountId: string, entryId: string, confirmed = false) {
    await inTransaction(this.db, async () => {
      const enforced = await this.store.enabled(accountId);
      const before = await this.store.entries(accountId);
      const entry = await this.store.remove(accountId, entryId);
      assertThat(entry, NotFound('cidr_not_found', 'No such entry in the list.'));
      if (enforced) {
        const after = before.filter((e) => e.id !== entryId);
        assertThat(
          after.length > 0,
          Conflict(
            'whitelist_would_be_empty',
            'This is the last address: turn IP whitelisting off before you remove it.',
          ),
        );
        const list = CidrList.fromText(after.map((e) => e.cidr).join('\n'), 'whitelist');
        assertThat(
          confirmed || list.contains(actor.ip) || !CidrList.fromText(entry.cidr, 'entry').contains(actor.ip),
          Conflict(
            'would_lock_out_current_address',
            `Removing ${entry.cidr} leaves your current address ${actor.ip} outside the list, so API requests from it will be refused. Confirm to remove it anyway.`,
          ),
        );
      }
      await this.audit.record(actor, {
        action: 'ip_whitelist.removed',
        accountId,
        details: { cidr: entry.cidr },
      });
      await this.events.publish('account.changed', { accountId, what: 'ip_whitelist' });
    });
  }

  /**
   * Turns enforcement on or off. Turning it on with a list that leaves out the address the person
   * is using now is refused until they confirm: it would lock their own API clients out.
   */
  async setEnabled(actor: Actor, accountId: string, enabled: boolean, confirmed: boolean) {
    await inTransaction(this.db, async () => {
      if (enabled) {
        const entries = await this.store.entries(accountId);
        assertThat(
          entries.length > 0,
          Conflict('whitelist_empty', 'Add at least one CIDR address before you enable IP whitelisting.'),
        );
        const list = CidrList.fromText(entries.map((e) => e.cidr).join('\n'), 'whitelist');
        assertThat(
          confirmed || list.contains(actor.ip),
          Conflict(
            'would_lock_out_current_address',
            `Your current address ${actor.ip} is not in the list, so API requests from it will be refused. Add it, or confirm to enable anyway.`,
          ),
        );
      }
      await this.store.setEnabled(accountId, enabled);
      await this.audit.record(actor, {
        action: enabled ? 'ip_whitelist.enabled' : 'ip_whitelist.disabled',
        accountId,
      });
      await this.events.publish('account.changed', { accountId, what: 'ip_whitelist' });
    });
  }
}
