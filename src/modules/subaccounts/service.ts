import { type Db, inTransaction } from '../../db/database.js';
import type { EventBus } from '../../events/bus.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat, Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newAuthId, newId } from '../../lib/ids.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { CredentialService } from '../credentials/service.js';
import { SubaccountErrors } from './errors.js';
import { SubaccountStore } from './store.js';

/**
 * How a module holding a subaccount's resources refuses its deletion from the console (the FAQ:
 * release numbers and delete applications first), naming what it holds (e.g. "application IVR").
 */
function refuseWhileHeld(subaccountName: string, held: string[]): void {
  assertThat(
    held.length === 0,
    Conflict(
      SubaccountErrors.inUse,
      `${subaccountName} still holds ${held.join(', ')}. Release or delete them first, or move them to another subaccount.`,
    ),
  );
}

export interface SubaccountView {
  id: string;
  authId: string;
  authToken: string | null;
  name: string;
  enabled: boolean;
  createdAt: Date;
  modifiedAt: Date | null;
}

const notFound = (authId: string) => NotFound(SubaccountErrors.notFound, `Subaccount ${authId} not found.`);

/**
 * Subaccounts: accounts under a main account with their own SA Auth ID and Auth Token, no
 * members and no balance of their own (their charges draw on the main account).
 */
export class SubaccountService {
  readonly store: SubaccountStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly credentials: CredentialService,
    private readonly events: EventBus,
  ) {
    this.store = new SubaccountStore(db);
  }

  private checkName(name: string) {
    const trimmed = name.trim();
    assertThat(
      trimmed.length > 0 && trimmed.length <= 100,
      ValidationFailed(
        SubaccountErrors.invalidName,
        'name is required: give the subaccount a name of up to 100 characters.',
        [{ field: 'name', message: 'Required, up to 100 characters.' }],
      ),
    );
    return trimmed;
  }

  private async withToken(row: {
    id: string;
    auth_id: string;
    name: string;
    enabled: boolean;
    created_at: Date;
    modified_at: Date | null;
  }) {
    const { authToken } = await this.credentials.view(row.id);
    return {
      id: row.id,
      authId: row.auth_id,
      authToken,
      name: row.name,
      enabled: row.enabled,
      createdAt: row.created_at,
      modifiedAt: row.modified_at,
    };
  }

  /** Create Subaccount: a name, enabled or not (the API's default is disabled, as Plivo's). */
  async create(actor: Actor, mainAccountId: string, input: { name: string; enabled: boolean }) {
    const name = this.checkName(input.name);
    return inTransaction(this.db, async () => {
      const id = newId();
      const authId = newAuthId('SA');
      await this.store.insert({
        id,
        auth_id: authId,
        name,
        parent_account_id: mainAccountId,
        enabled: input.enabled,
      });
      const { token } = await this.credentials.issue(id, actor.userId ?? null);
      await this.audit.record(actor, {
        action: 'subaccount.created',
        accountId: mainAccountId,
        details: { authId, name, enabled: input.enabled },
      });
      return { id, authId, authToken: token };
    });
  }

  async page(mainAccountId: string, limit: number, offset: number) {
    const [rows, total] = await Promise.all([
      this.store.page(mainAccountId, limit, offset),
      this.store.count(mainAccountId),
    ]);
    return { total, subaccounts: await Promise.all(rows.map((row) => this.withToken(row))) };
  }

  async get(mainAccountId: string, authId: string): Promise<SubaccountView> {
    const row = await this.store.byAuthId(mainAccountId, authId);
    assertThat(row, notFound(authId));
    return this.withToken(row);
  }

  /** Update: name (required by the API) and enabled; a disabled subaccount's credentials are refused at once. */
  async update(
    actor: Actor,
    mainAccountId: string,
    authId: string,
    input: { name: string; enabled?: boolean },
  ) {
    const name = this.checkName(input.name);
    await inTransaction(this.db, async () => {
      const row = await this.store.byAuthId(mainAccountId, authId);
      assertThat(row, notFound(authId));
      await this.store.update(row.id, {
        name,
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
        modified_at: this.clock.now(),
      });
      await this.audit.record(actor, {
        action: 'subaccount.updated',
        accountId: mainAccountId,
        details: { authId, name, enabled: input.enabled ?? row.enabled },
      });
      await this.events.publish('account.changed', {
        accountId: row.id,
        what: input.enabled === undefined ? 'details' : 'enabled',
      });
    });
  }

  /**
   * A closing main account's subaccounts are deleted with it (their numbers, applications and
   * endpoints go with the main account's); their credentials are refused at once. Answers how many.
   */
  async removeAllOf(mainAccountId: string): Promise<number> {
    const ids = await this.store.deleteAllOf(mainAccountId, this.clock.now());
    for (const id of ids) await this.events.publish('account.changed', { accountId: id, what: 'deleted' });
    return ids.length;
  }

  /** The subaccount with this SA Auth ID under the main account, if it is one. */
  async find(mainAccountId: string, authId: string) {
    const row = await this.store.byAuthId(mainAccountId, authId);
    return row ? { id: row.id, authId: row.auth_id } : undefined;
  }

  /** The subaccount with this SA Auth ID under the main account, or a 400 saying it is not one. */
  async resolve(mainAccountId: string, authId: string) {
    const sub = await this.find(mainAccountId, authId);
    assertThat(
      sub,
      ValidationFailed(
        SubaccountErrors.invalidSubaccount,
        `subaccount ${authId} is not a subaccount of this account.`,
      ),
    );
    return sub;
  }

  /**
   * Delete Subaccount; its credentials stop working at once. The modules holding its resources
   * handle them as asked (`subaccount.deleting`): `refuse` (the console, as the FAQ's steps say:
   * release numbers and delete applications first) names what is in the way; `cascade` deletes or
   * releases them; `move_to_main` gives them to the main account (the API without cascade, Plivo's
   * documented behaviour).
   */
  async remove(
    actor: Actor,
    mainAccountId: string,
    authId: string,
    policy: 'refuse' | 'cascade' | 'move_to_main',
  ) {
    await inTransaction(this.db, async () => {
      const row = await this.store.byAuthId(mainAccountId, authId);
      assertThat(row, notFound(authId));
      const held: string[] = [];
      await this.events.publish('subaccount.deleting', {
        mainAccountId,
        subaccountId: row.id,
        subaccountName: row.name,
        policy,
        held,
      });
      refuseWhileHeld(row.name, held);
      await this.store.update(row.id, { deleted_at: this.clock.now(), enabled: false });
      await this.events.publish('account.changed', { accountId: row.id, what: 'deleted' });
      await this.audit.record(actor, {
        action: 'subaccount.deleted',
        accountId: mainAccountId,
        details: { authId, policy },
      });
    });
  }
}
