import { createHash } from 'node:crypto';
import { type Db, inTransaction } from '../../db/database.js';
import type { EventPayload } from '../../events/catalog.js';
import {
  assertThat,
  changesSomething,
  NotFound,
  NothingToChange,
  ValidationFailed,
} from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { randomDigits, type SecretBox } from '../../lib/secrets.js';
import type { ApiScope } from '../accounts/scope.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import { assertAcceptablePassword } from '../identity/password-policy.js';
import { EndpointErrors } from './errors.js';
import { EndpointStore } from './store.js';

/** The digest SIP servers verify against: HA1 = MD5(username:realm:password). MD5 is what SIP digest auth uses. */
export function sipHa1(username: string, realm: string, password: string): string {
  return createHash('md5').update(`${username}:${realm}:${password}`).digest('hex');
}

const USERNAME = /^[A-Za-z0-9_.-]{1,40}$/;

/**
 * SIP endpoints: a username made unique by a numeric suffix, a password kept only as its SIP digest
 * (HA1, encrypted at rest), an alias and an optional application.
 */
export class EndpointService {
  readonly store: EndpointStore;

  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
    private readonly audit: AuditLog,
    private readonly sipRealm: string,
    private readonly now: () => Date,
  ) {
    this.store = new EndpointStore(db);
  }

  /** `subaccount.deleting`: its endpoints never block the deletion; they are deleted (cascade) or become the main account's. */
  async subaccountDeleting(event: EventPayload<'subaccount.deleting'>) {
    if (event.policy !== 'refuse')
      await this.store.releaseSubaccount(event.subaccountId, event.policy === 'cascade');
  }

  async create(
    actor: Actor,
    scope: ApiScope,
    input: { username: string; password: string; alias: string; applicationId: string | null },
  ) {
    assertThat(
      USERNAME.test(input.username),
      ValidationFailed(
        EndpointErrors.invalidUsername,
        'username must be 1 to 40 letters, digits, ".", "_" or "-".',
      ),
    );
    assertThat(
      input.alias.trim().length > 0,
      ValidationFailed(EndpointErrors.invalidAlias, 'alias is required.'),
    );
    await assertAcceptablePassword(input.password, [input.username], { fieldInMessage: true });
    return inTransaction(this.db, async () => {
      let username = '';
      do {
        const stamp = this.now().toISOString().replace(/\D/g, '').slice(2, 14);
        username = `${input.username}${stamp}${randomDigits(2)}`;
      } while (await this.store.usernameTaken(username));
      const id = newId();
      const endpointId = `${1 + (Number(randomDigits(1)) % 9)}${randomDigits(13)}`;
      await this.store.insert({
        id,
        endpoint_id: endpointId,
        account_id: scope.mainAccountId,
        subaccount_id: scope.subaccount?.id ?? null,
        application_id: input.applicationId,
        username,
        alias: input.alias.trim(),
        sip_ha1_encrypted: this.secrets.encrypt(sipHa1(username, this.sipRealm, input.password)),
      });
      await this.audit.record(actor, {
        action: 'endpoint.created',
        accountId: scope.mainAccountId,
        details: { endpointId, username },
      });
      return { endpointId, username, alias: input.alias.trim() };
    });
  }

  async get(scope: ApiScope, endpointId: string) {
    const row = await this.store.byEndpointId(scope, endpointId);
    assertThat(row, NotFound(EndpointErrors.notFound, `Endpoint ${endpointId} not found.`));
    return row;
  }

  page(scope: ApiScope, limit: number, offset: number) {
    return this.store.page(scope, limit, offset);
  }

  async update(
    actor: Actor,
    scope: ApiScope,
    endpointId: string,
    changes: { password?: string; alias?: string; applicationId?: string | null },
  ) {
    assertThat(changesSomething(changes), NothingToChange(['password', 'alias', 'app_id']));
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, endpointId);
      if (changes.password !== undefined)
        await assertAcceptablePassword(changes.password, [row.username], { fieldInMessage: true });
      if (changes.alias !== undefined)
        assertThat(
          changes.alias.trim().length > 0,
          ValidationFailed(EndpointErrors.invalidAlias, 'alias must not be empty.'),
        );
      await this.store.update(row.id, {
        ...(changes.alias === undefined ? {} : { alias: changes.alias.trim() }),
        ...(changes.applicationId === undefined ? {} : { application_id: changes.applicationId }),
        ...(changes.password === undefined
          ? {}
          : {
              sip_ha1_encrypted: this.secrets.encrypt(sipHa1(row.username, this.sipRealm, changes.password)),
            }),
      });
      await this.audit.record(actor, {
        action: 'endpoint.updated',
        accountId: scope.mainAccountId,
        details: { endpointId, fields: Object.keys(changes) },
      });
    });
  }

  async remove(actor: Actor, scope: ApiScope, endpointId: string) {
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, endpointId);
      await this.store.remove(row.id);
      await this.audit.record(actor, {
        action: 'endpoint.deleted',
        accountId: scope.mainAccountId,
        details: { endpointId },
      });
    });
  }

  /** Called when an application is deleted: its endpoints go with it, or move to another application. */
  detachFromApplication(applicationId: string, options: { deleteThem: boolean; moveTo: string | null }) {
    return this.store.detachFromApplication(applicationId, options);
  }
}
