import type { Insertable, Selectable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { type OwnerScope, ownedWithin, pageOf, subaccountAuthIdOf } from '../../db/paging.js';
import type { CallsTable } from '../../db/schema.js';

export type CallRow = Selectable<CallsTable>;
/** A call as the API and the console read it: its row and its subaccount's Auth ID. */
export type CallView = CallRow & { subaccount_auth_id: string | null };

/** Plivo's call list filters, as the service parsed them. */
export interface CallFilter {
  subaccountAuthId?: string;
  direction?: 'inbound' | 'outbound';
  fromNumber?: string;
  toNumber?: string;
  /** Only calls still going (ringing or in progress). */
  live?: boolean;
  billDuration: { operator: '=' | '>' | '>=' | '<' | '<='; seconds: number }[];
  endTime: { operator: '=' | '>' | '>=' | '<' | '<='; at: Date }[];
}

/** An endpoint as the SIP server sees it: its digest, its owner and whether the owner may use SIP. */
export interface SipEndpoint {
  id: string;
  username: string;
  sipHa1Encrypted: string;
  accountId: string;
  subaccountId: string | null;
  /** The Auth ID credit sessions are opened for: the subaccount's when it has one. */
  authId: string;
  usable: boolean;
}

/** SQL for SIP registrations and calls. */
export class VoiceStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /** The endpoint with this username, with whether its account (and subaccount) is active and enabled. */
  async endpoint(username: string): Promise<SipEndpoint | undefined> {
    const row = await this.q
      .selectFrom('endpoints as e')
      .innerJoin('accounts as m', 'm.id', 'e.account_id')
      .leftJoin('accounts as s', 's.id', 'e.subaccount_id')
      .select([
        'e.id',
        'e.username',
        'e.sip_ha1_encrypted',
        'e.account_id',
        'e.subaccount_id',
        'm.auth_id as main_auth_id',
        'm.status',
        's.auth_id as sub_auth_id',
        's.enabled as sub_enabled',
        's.deleted_at as sub_deleted_at',
      ])
      .where('e.username', '=', username)
      .executeTakeFirst();
    if (!row) return undefined;
    const subUsable = row.subaccount_id === null || (row.sub_enabled === true && row.sub_deleted_at === null);
    return {
      id: row.id,
      username: row.username,
      sipHa1Encrypted: row.sip_ha1_encrypted,
      accountId: row.account_id,
      subaccountId: row.subaccount_id,
      authId: row.sub_auth_id ?? row.main_auth_id,
      usable: row.status === 'active' && subUsable,
    };
  }

  /** A rented number with its owner and the username of its application's first endpoint (if any). */
  async rentedNumber(number: string) {
    return this.q
      .selectFrom('numbers as n')
      .innerJoin('accounts as m', 'm.id', 'n.account_id')
      .leftJoin('accounts as s', 's.id', 'n.subaccount_id')
      .select((eb) => [
        'n.number',
        'n.number_type',
        'n.account_id',
        'n.subaccount_id',
        'm.auth_id as main_auth_id',
        's.auth_id as sub_auth_id',
        eb
          .selectFrom('endpoints as e')
          .select('e.username')
          .whereRef('e.application_id', '=', 'n.application_id')
          .orderBy('e.created_at')
          .limit(1)
          .as('endpoint_username'),
      ])
      .where('n.number', '=', number)
      .where('n.account_id', 'is not', null)
      .executeTakeFirst();
  }

  async saveRegistration(row: {
    endpointId: string;
    contact: string;
    userAgent: string;
    received: string | null;
    at: Date;
    expiresAt: Date;
  }): Promise<void> {
    await this.q
      .insertInto('sip_registrations')
      .values({
        endpoint_id: row.endpointId,
        contact: row.contact,
        user_agent: row.userAgent,
        received: row.received,
        registered_at: row.at,
        expires_at: row.expiresAt,
      })
      .onConflict((oc) =>
        oc.columns(['endpoint_id', 'contact']).doUpdateSet({
          user_agent: row.userAgent,
          received: row.received,
          registered_at: row.at,
          expires_at: row.expiresAt,
        }),
      )
      .execute();
  }

  async removeRegistration(endpointId: string, contact: string): Promise<void> {
    await this.q
      .deleteFrom('sip_registrations')
      .where('endpoint_id', '=', endpointId)
      .where('contact', '=', contact)
      .execute();
  }

  /** The registrations of these endpoints still in force at `now`, newest first. */
  async registrations(endpointIds: readonly string[], now: Date) {
    if (endpointIds.length === 0) return [];
    return this.q
      .selectFrom('sip_registrations')
      .select(['endpoint_id', 'contact', 'user_agent', 'received', 'registered_at', 'expires_at'])
      .where('endpoint_id', 'in', endpointIds)
      .where('expires_at', '>', now)
      .orderBy('registered_at', 'desc')
      .execute();
  }

  async callBySipId(engineId: string, sipCallId: string): Promise<CallRow | undefined> {
    return this.q
      .selectFrom('calls')
      .selectAll()
      .where('engine_id', '=', engineId)
      .where('sip_call_id', '=', sipCallId)
      .executeTakeFirst();
  }

  async call(id: string, lock = false): Promise<CallRow | undefined> {
    let query = this.q.selectFrom('calls').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  async calls(ids: readonly string[]): Promise<CallRow[]> {
    if (ids.length === 0) return [];
    return this.q.selectFrom('calls').selectAll().where('id', 'in', ids).execute();
  }

  /** The SIP dialogs of these calls that were answered and have not ended. */
  async dialogs(engineId: string, callUuids: readonly string[]): Promise<{ entry: number; id: bigint }[]> {
    const uuids = callUuids.filter((id) => /^[0-9a-f-]{36}$/.test(id));
    if (uuids.length === 0) return [];
    const rows = await this.q
      .selectFrom('calls')
      .select(['dialog_entry', 'dialog_id'])
      .where('engine_id', '=', engineId)
      .where('id', 'in', uuids)
      .where('state', '=', 'in-progress')
      .where('dialog_entry', 'is not', null)
      .where('dialog_id', 'is not', null)
      .execute();
    return rows.map((row) => ({ entry: row.dialog_entry as number, id: BigInt(row.dialog_id as bigint) }));
  }

  /** A call within what the caller may see. */
  async find(scope: OwnerScope, id: string): Promise<CallView | undefined> {
    return this.q
      .selectFrom('calls')
      .selectAll('calls')
      .select(subaccountAuthIdOf('calls'))
      .where('calls.id', '=', id)
      .where(ownedWithin(scope, 'calls'))
      .executeTakeFirst();
  }

  async page(scope: OwnerScope, filter: CallFilter, page: { limit: number; offset: number }) {
    let query = this.q
      .selectFrom('calls')
      .selectAll('calls')
      .select(subaccountAuthIdOf('calls'))
      .where(ownedWithin(scope, 'calls'));
    if (filter.subaccountAuthId !== undefined)
      query = query.where(
        'calls.subaccount_id',
        '=',
        this.q.selectFrom('accounts').select('id').where('auth_id', '=', filter.subaccountAuthId),
      );
    if (filter.direction) query = query.where('calls.direction', '=', filter.direction);
    if (filter.fromNumber) query = query.where('calls.from_number', '=', filter.fromNumber);
    if (filter.toNumber) query = query.where('calls.to_number', '=', filter.toNumber);
    if (filter.live !== undefined) query = query.where('calls.state', filter.live ? '<>' : '=', 'completed');
    for (const { operator, seconds } of filter.billDuration)
      query = query.where('calls.billed_duration_seconds', operator, seconds);
    for (const { operator, at } of filter.endTime) query = query.where('calls.ended_at', operator, at);
    return pageOf(query, (q) => q.orderBy('calls.initiated_at', 'desc').orderBy('calls.id'), page);
  }

  async insertCall(row: Insertable<CallsTable>): Promise<void> {
    await this.q.insertInto('calls').values(row).execute();
  }

  async updateCall(id: string, changes: Updateable<CallsTable>): Promise<void> {
    await this.q.updateTable('calls').set(changes).where('id', '=', id).execute();
  }

  async currency(accountId: string): Promise<string | undefined> {
    const row = await this.q
      .selectFrom('accounts')
      .select('currency')
      .where('id', '=', accountId)
      .executeTakeFirst();
    return row?.currency;
  }

  /** What the call's usage record charged: the seconds billed (to the increment), the rate and the amount. */
  async charge(engineId: string, callUuid: string) {
    return this.q
      .selectFrom('usage_records')
      .select(['billed_quantity', 'rate_micros', 'amount_micros'])
      .where('engine_id', '=', engineId)
      .where('event_id', '=', callUuid)
      .executeTakeFirst();
  }

  /** Deletes the call records of a main account and its subaccounts (closing the account; their charges stay in the ledger). */
  async removeAllOf(accountId: string): Promise<number> {
    const result = await this.q.deleteFrom('calls').where('account_id', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
