import { type Db, inTransaction } from '../../db/database.js';
import type { EventBus } from '../../events/bus.js';
import { CidrList, canonicalCidr } from '../../lib/cidr-list.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { IpWhitelistErrors } from './errors.js';
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
      throw IpWhitelistErrors.invalidCidr((error as Error).message);
    }
    return inTransaction(this.db, async () => {
      const id = newId();
      assertThat(
        await this.store.insert({ id, account_id: accountId, cidr, created_by: actor.userId ?? null }),
        () => IpWhitelistErrors.cidrExists(cidr),
      );
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
      assertThat(entry, IpWhitelistErrors.cidrNotFound);
      if (enforced) {
        const after = before.filter((e) => e.id !== entryId);
        assertThat(after.length > 0, IpWhitelistErrors.wouldBeEmpty);
        const list = CidrList.fromText(after.map((e) => e.cidr).join('\n'), 'whitelist');
        assertThat(
          confirmed || list.contains(actor.ip) || !CidrList.fromText(entry.cidr, 'entry').contains(actor.ip),
          () => IpWhitelistErrors.removalLocksOut(entry.cidr, actor.ip),
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
        assertThat(entries.length > 0, IpWhitelistErrors.emptyList);
        const list = CidrList.fromText(entries.map((e) => e.cidr).join('\n'), 'whitelist');
        assertThat(confirmed || list.contains(actor.ip), () => IpWhitelistErrors.enablingLocksOut(actor.ip));
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
