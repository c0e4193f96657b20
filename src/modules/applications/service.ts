import { type Db, inTransaction } from '../../db/database.js';
import type { EventPayload } from '../../events/catalog.js';
import { assertThat, NotFound, ValidationFailed } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import { namedFields } from '../../lib/named-fields.js';
import { randomDigits } from '../../lib/secrets.js';
import type { ApiScope } from '../accounts/scope.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { EndpointService } from '../endpoints/service.js';
import type { NumberService } from '../numbers/service.js';
import type { SubaccountService } from '../subaccounts/service.js';
import { ApplicationErrors } from './errors.js';
import { ApplicationStore } from './store.js';

export interface ApplicationFields {
  app_name?: string;
  answer_url?: string;
  answer_method?: string;
  hangup_url?: string;
  hangup_method?: string;
  fallback_answer_url?: string;
  fallback_method?: string;
  message_url?: string;
  message_method?: string;
  default_number_app?: boolean;
  default_endpoint_app?: boolean;
  log_incoming_messages?: boolean;
  public_uri?: boolean;
}

const APPLICATION_FIELDS = [
  'app_name',
  'answer_url',
  'answer_method',
  'hangup_url',
  'hangup_method',
  'fallback_answer_url',
  'fallback_method',
  'message_url',
  'message_method',
  'default_number_app',
  'default_endpoint_app',
  'log_incoming_messages',
  'public_uri',
] as const satisfies readonly (keyof ApplicationFields)[];
const METHODS = new Set(['GET', 'POST']);
const URL_FIELDS = ['answer_url', 'hangup_url', 'fallback_answer_url', 'message_url'] as const;
const METHOD_FIELDS = ['answer_method', 'hangup_method', 'fallback_method', 'message_method'] as const;

/** Checks URLs (http or https) and methods (GET or POST); answers the named fields to store, and only those. */
function checked(fields: ApplicationFields): ApplicationFields {
  for (const name of URL_FIELDS) {
    const value = fields[name];
    if (!value) continue;
    let valid = false;
    try {
      valid = ['http:', 'https:'].includes(new URL(value).protocol);
    } catch {}
    assertThat(
      valid,
      ValidationFailed(
        ApplicationErrors.invalidUrl,
        `${name} must be an http or https URL, such as https://example.com/answer.`,
      ),
    );
  }
  const out: ApplicationFields = namedFields(fields, APPLICATION_FIELDS);
  for (const name of METHOD_FIELDS) {
    const value = fields[name];
    if (value === undefined) continue;
    assertThat(
      METHODS.has(value.toUpperCase()),
      ValidationFailed(ApplicationErrors.invalidMethod, `${name} must be GET or POST.`),
    );
    out[name] = value.toUpperCase();
  }
  if (fields.app_name !== undefined) {
    assertThat(
      fields.app_name.trim().length > 0 && fields.app_name.length <= 200,
      ValidationFailed(ApplicationErrors.invalidAppName, 'app_name is required.'),
    );
    out.app_name = fields.app_name.trim();
  }
  return out;
}

/** Applications: the URLs the telephony engines call for a number's or endpoint's calls and messages. */
export class ApplicationService {
  readonly store: ApplicationStore;

  constructor(
    private readonly db: Db,
    private readonly audit: AuditLog,
    private readonly subaccounts: SubaccountService,
    private readonly endpoints: EndpointService,
    private readonly numbers: NumberService,
  ) {
    this.store = new ApplicationStore(db);
  }

  /**
   * `subaccount.deleting`: the console's delete is refused while the subaccount has applications
   * (they are named in `held`); otherwise they are deleted with their endpoints (cascade) or given to the main account.
   */
  async subaccountDeleting({ subaccountId, policy, held }: EventPayload<'subaccount.deleting'>) {
    if (policy === 'refuse') {
      const names = await this.store.namesOfSubaccount(subaccountId);
      held.push(...names.map((name) => `application ${name}`));
      return;
    }
    if (policy === 'cascade') {
      for (const id of await this.store.idsOfSubaccount(subaccountId)) {
        await this.endpoints.detachFromApplication(id, { deleteThem: true, moveTo: null });
        await this.store.remove(id);
      }
    } else {
      await this.store.moveSubaccountToMain(subaccountId);
    }
  }

  /** The subaccount an application belongs to: the caller, if a subaccount; else the `subaccount` parameter, if given. */
  private async ownerSubaccount(scope: ApiScope, subaccountAuthId: string | undefined) {
    if (scope.subaccount) {
      assertThat(
        !subaccountAuthId || subaccountAuthId === scope.subaccount.authId,
        ValidationFailed(
          ApplicationErrors.invalidSubaccount,
          `A subaccount's credentials keep applications in that subaccount (${scope.subaccount.authId}); use the main account's credentials to place one in another subaccount.`,
        ),
      );
      return scope.subaccount.id;
    }
    if (!subaccountAuthId) return null;
    return (await this.subaccounts.resolve(scope.mainAccountId, subaccountAuthId)).id;
  }

  async create(actor: Actor, scope: ApiScope, input: ApplicationFields & { subaccount?: string }) {
    assertThat(
      input.app_name?.trim(),
      ValidationFailed(ApplicationErrors.invalidAppName, 'app_name is required.'),
    );
    const { subaccount, ...rest } = input;
    const fields = checked(rest);
    return inTransaction(this.db, async () => {
      const appId = `${1 + (Number(randomDigits(1)) % 9)}${randomDigits(16)}`;
      await this.store.insert({
        ...fields,
        id: newId(),
        app_id: appId,
        app_name: fields.app_name as string,
        account_id: scope.mainAccountId,
        subaccount_id: await this.ownerSubaccount(scope, subaccount),
      });
      await this.audit.record(actor, {
        action: 'application.created',
        accountId: scope.mainAccountId,
        details: { appId },
      });
      return { appId };
    });
  }

  async get(scope: ApiScope, appId: string) {
    const row = await this.store.byAppId(scope, appId);
    assertThat(row, NotFound(ApplicationErrors.notFound, `Application ${appId} not found.`));
    return row;
  }

  async page(
    scope: ApiScope,
    filter: { subaccount?: string; app_name?: string },
    limit: number,
    offset: number,
  ) {
    const subaccountId = filter.subaccount ? await this.ownerSubaccount(scope, filter.subaccount) : undefined;
    return this.store.page(
      scope,
      { subaccountId: subaccountId ?? undefined, appName: filter.app_name },
      limit,
      offset,
    );
  }

  async update(
    actor: Actor,
    scope: ApiScope,
    appId: string,
    input: ApplicationFields & { subaccount?: string },
  ) {
    const { subaccount, ...rest } = input;
    const fields = checked(rest);
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, appId);
      const changes = {
        ...fields,
        ...(subaccount === undefined ? {} : { subaccount_id: await this.ownerSubaccount(scope, subaccount) }),
      };
      if (Object.keys(changes).length > 0) await this.store.update(row.id, changes);
      await this.audit.record(actor, {
        action: 'application.updated',
        accountId: scope.mainAccountId,
        details: { appId, fields: Object.keys(changes) },
      });
    });
  }

  /**
   * Deletes an application. Its endpoints are deleted with it when cascade is true; otherwise they
   * move to new_endpoint_application (an application in the same scope) or to none. Its numbers stay
   * rented, linked to no application.
   */
  async remove(
    actor: Actor,
    scope: ApiScope,
    appId: string,
    options: { cascade: boolean; newEndpointApplication?: string },
  ) {
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, appId);
      const moveTo = options.newEndpointApplication
        ? (await this.get(scope, options.newEndpointApplication)).id
        : null;
      await this.endpoints.detachFromApplication(row.id, { deleteThem: options.cascade, moveTo });
      await this.numbers.unlinkApplication(actor, scope.mainAccountId, row.id);
      await this.store.remove(row.id);
      await this.audit.record(actor, {
        action: 'application.deleted',
        accountId: scope.mainAccountId,
        details: { appId, cascade: options.cascade },
      });
    });
  }
}
