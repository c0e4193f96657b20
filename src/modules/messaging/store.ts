import { type Selectable, sql, type Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { type OwnerScope, ownedWithin, pageOf, subaccountAuthIdOf } from '../../db/paging.js';
import type { MessageState, MessagesTable } from '../../db/schema.js';

export type MessageRow = Selectable<MessagesTable>;
/** A message as it is inserted: every column but those a later state sets. */
export type NewMessage = Omit<MessageRow, 'claimed_at' | 'sent_at'>;

/** A message as the API and the console read it: its row and its subaccount's Auth ID. */
export type MessageView = MessageRow & { subaccount_auth_id: string | null };

/** Plivo's list filters, as the service parsed them. */
export interface MessageFilter {
  subaccountAuthId?: string;
  direction?: 'inbound' | 'outbound';
  states?: MessageState[];
  type?: string;
  errorCode?: number;
  fromNumber?: string;
  toNumber?: string;
  /** message_time and its __gt/__gte/__lt/__lte forms. */
  time: { operator: '=' | '>' | '>=' | '<' | '<='; at: Date }[];
}

/** What a sender may send from: its own numbers with SMS and the sender IDs whitelisted for it. */
export interface SenderOwner {
  accountId: string;
  subaccountId: string | null;
}

/** SQL for messages, their carrier parts and their timelines. */
export class MessageStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  /**
   * Inserts messages in one statement, a column at a time (unnest), which costs PostgreSQL and this
   * process far less than a row of parameters per message. Their first state is not written to
   * message_events: `timeline` reads it from the message (its initial state and created_at).
   */
  async insert(rows: readonly NewMessage[]): Promise<void> {
    if (rows.length === 0) return;
    const column = <T>(pick: (row: NewMessage) => T) => rows.map(pick);
    const micros = (pick: (row: NewMessage) => bigint) => rows.map((row) => pick(row).toString());
    await sql`
      INSERT INTO messages (id, account_id, subaccount_id, direction, message_type, from_number, to_number,
        body, log, encoding, units, currency, country_iso, prefix, rate_micros, amount_micros, held_micros,
        state, error_code, held_reason, callback_url, callback_method, expiry_seconds, send_at, send_after,
        expires_at, requester_ip, created_at, updated_at)
      SELECT * FROM unnest(
        ${column((r) => r.id)}::uuid[], ${column((r) => r.account_id)}::uuid[],
        ${column((r) => r.subaccount_id)}::uuid[], ${column((r) => r.direction)}::text[],
        ${column((r) => r.message_type)}::text[], ${column((r) => r.from_number)}::text[],
        ${column((r) => r.to_number)}::text[], ${column((r) => r.body)}::text[], ${column((r) => r.log)}::boolean[],
        ${column((r) => r.encoding)}::text[], ${column((r) => r.units)}::integer[],
        ${column((r) => r.currency)}::text[], ${column((r) => r.country_iso)}::text[],
        ${column((r) => r.prefix)}::text[], ${micros((r) => r.rate_micros)}::bigint[],
        ${micros((r) => r.amount_micros)}::bigint[], ${micros((r) => r.held_micros)}::bigint[],
        ${column((r) => r.state)}::text[], ${column((r) => r.error_code)}::integer[],
        ${column((r) => r.held_reason)}::text[], ${column((r) => r.callback_url)}::text[],
        ${column((r) => r.callback_method)}::text[], ${column((r) => r.expiry_seconds)}::integer[],
        ${column((r) => r.send_at)}::timestamptz[], ${column((r) => r.send_after)}::timestamptz[],
        ${column((r) => r.expires_at)}::timestamptz[], ${column((r) => r.requester_ip)}::text[],
        ${column((r) => r.created_at)}::timestamptz[], ${column((r) => r.updated_at)}::timestamptz[]
      )`.execute(this.q);
  }

  /** Changes a message and adds the state it reached to its timeline (when `state` changes it). */
  async update(
    id: string,
    changes: Updateable<MessagesTable>,
    event?: { state: string; errorCode?: number | null; detail?: string; at: Date },
  ): Promise<void> {
    await this.q.updateTable('messages').set(changes).where('id', '=', id).execute();
    if (event)
      await this.q
        .insertInto('message_events')
        .values({
          message_id: id,
          state: event.state,
          error_code: event.errorCode ?? null,
          detail: event.detail ?? '',
          at: event.at,
        })
        .execute();
  }

  async byId(id: string, lock = false): Promise<MessageRow | undefined> {
    let query = this.q.selectFrom('messages').selectAll().where('id', '=', id);
    if (lock) query = query.forUpdate();
    return query.executeTakeFirst();
  }

  /** A message within what the caller may see. */
  async find(scope: OwnerScope, id: string): Promise<MessageView | undefined> {
    return this.q
      .selectFrom('messages')
      .selectAll('messages')
      .select(subaccountAuthIdOf('messages'))
      .where('messages.id', '=', id)
      .where(ownedWithin(scope, 'messages'))
      .executeTakeFirst();
  }

  async page(scope: OwnerScope, filter: MessageFilter, page: { limit: number; offset: number }) {
    let query = this.q
      .selectFrom('messages')
      .selectAll('messages')
      .select(subaccountAuthIdOf('messages'))
      .where(ownedWithin(scope, 'messages'));
    if (filter.subaccountAuthId !== undefined)
      query = query.where(
        'messages.subaccount_id',
        '=',
        this.q.selectFrom('accounts').select('id').where('auth_id', '=', filter.subaccountAuthId),
      );
    if (filter.direction) query = query.where('messages.direction', '=', filter.direction);
    if (filter.states) query = query.where('messages.state', 'in', filter.states);
    if (filter.type) query = query.where('messages.message_type', '=', filter.type);
    if (filter.errorCode !== undefined) query = query.where('messages.error_code', '=', filter.errorCode);
    if (filter.fromNumber) query = query.where('messages.from_number', '=', filter.fromNumber);
    if (filter.toNumber) query = query.where('messages.to_number', '=', filter.toNumber);
    for (const { operator, at } of filter.time) query = query.where('messages.created_at', operator, at);
    return pageOf(query, (q) => q.orderBy('messages.created_at', 'desc').orderBy('messages.id'), page);
  }

  /**
   * The states a message went through, oldest first: its first (received, scheduled when it was sent
   * with send_at, else queued) when it was created, then what message_events recorded.
   */
  async timeline(messageId: string) {
    const { rows } = await sql<{ state: string; error_code: number | null; detail: string; at: Date }>`
      SELECT state, error_code, detail, at FROM (
        SELECT 0::bigint AS id, CASE WHEN direction = 'inbound' THEN 'received'
            WHEN send_at IS NOT NULL THEN 'scheduled' ELSE 'queued' END AS state,
          NULL::integer AS error_code, '' AS detail, created_at AS at
        FROM messages WHERE id = ${messageId}
        UNION ALL
        SELECT id, state, error_code, detail, at FROM message_events WHERE message_id = ${messageId}
      ) timeline ORDER BY id`.execute(this.q);
    return rows;
  }

  /**
   * Whether `owner` may send from `from`: a number it rents with SMS enabled (the main account any
   * number of the account, a subaccount only its own), or a sender ID whitelisted for it.
   */
  async senderKind(
    owner: SenderOwner,
    from: string,
  ): Promise<'number' | 'sender_id' | 'number_without_sms' | null> {
    let numbers = this.q
      .selectFrom('numbers')
      .select(['sms_enabled'])
      .where('number', '=', from.replace(/^\+/, ''))
      .where('account_id', '=', owner.accountId);
    if (owner.subaccountId !== null) numbers = numbers.where('subaccount_id', '=', owner.subaccountId);
    const number = await numbers.executeTakeFirst();
    if (number) return number.sms_enabled ? 'number' : 'number_without_sms';
    const senderId = await this.q
      .selectFrom('sender_ids')
      .select('id')
      .where('subaccount_id', '=', owner.subaccountId ?? owner.accountId)
      .where((eb) => eb.or([eb('sender_id', '=', from), eb('sender_id', '=', `+${from.replace(/^\+/, '')}`)]))
      .executeTakeFirst();
    return senderId ? 'sender_id' : null;
  }

  /**
   * Takes up to `limit` queued messages that are due, oldest first, locked so no other instance
   * takes them (the caller marks those it sends `sending` in the same transaction).
   */
  async dueForDispatch(now: Date, limit: number): Promise<MessageRow[]> {
    return this.q
      .selectFrom('messages')
      .selectAll()
      .where('state', '=', 'queued')
      .where('send_after', '<=', now)
      .orderBy('send_after')
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  async markSending(ids: readonly string[], at: Date): Promise<void> {
    if (ids.length === 0) return;
    await this.q
      .updateTable('messages')
      .set({ state: 'sending', claimed_at: at, updated_at: at })
      .where('id', 'in', ids)
      .execute();
  }

  /** An account's due queued messages wait until `until` (those another instance holds are left to it). */
  async postponeAccount(accountId: string, now: Date, until: Date): Promise<void> {
    await sql`
      UPDATE messages SET send_after = ${until} WHERE id IN (
        SELECT id FROM messages
        WHERE account_id = ${accountId} AND state = 'queued' AND send_after <= ${now}
        FOR UPDATE SKIP LOCKED)`.execute(this.q);
  }

  /** Queued messages past their expiry, locked. */
  async expired(now: Date, limit: number): Promise<MessageRow[]> {
    return this.q
      .selectFrom('messages')
      .selectAll()
      .where('state', 'in', ['queued', 'scheduled'])
      .where('expires_at', '<', now)
      .limit(limit)
      .forUpdate()
      .skipLocked()
      .execute();
  }

  /** Messages claimed by a dispatcher that stopped before it sent them (an instance died). */
  async stranded(before: Date): Promise<string[]> {
    const rows = await this.q
      .updateTable('messages')
      .set({ state: 'queued', claimed_at: null })
      .where('state', '=', 'sending')
      .where('claimed_at', '<', before)
      .returning('id')
      .execute();
    return rows.map((row) => row.id);
  }

  /** The accounts with scheduled messages now due (or due for one account). */
  async accountsWithDueScheduled(now: Date, accountId?: string): Promise<string[]> {
    let query = this.q
      .selectFrom('messages')
      .select('account_id')
      .distinct()
      .where('state', '=', 'scheduled')
      .where('send_at', '<=', now);
    if (accountId) query = query.where('account_id', '=', accountId);
    return (await query.execute()).map((row) => row.account_id);
  }

  /** An account's due scheduled messages, oldest first, locked (the account's row is locked first). */
  async dueScheduledOf(accountId: string, now: Date, limit: number): Promise<MessageRow[]> {
    return (
      this.q
        .selectFrom('messages')
        .selectAll()
        .where('account_id', '=', accountId)
        .where('state', '=', 'scheduled')
        .where('send_at', '<=', now)
        // One past its expiry is failed by the next round's expiry, never queued.
        .where('expires_at', '>=', now)
        .orderBy('send_at')
        .limit(limit)
        .forUpdate()
        .skipLocked()
        .execute()
    );
  }

  async holdScheduled(ids: readonly string[], reason: string): Promise<void> {
    if (ids.length === 0) return;
    await this.q
      .updateTable('messages')
      .set({ held_reason: reason })
      .where('id', 'in', ids)
      .where((eb) => eb.or([eb('held_reason', 'is', null), eb('held_reason', '!=', reason)]))
      .execute();
  }

  /** The carrier's id of each part of each message, in one statement. */
  async addParts(sent: readonly { messageId: string; carrierIds: readonly string[] }[]): Promise<void> {
    const rows = sent.flatMap(({ messageId, carrierIds }) =>
      carrierIds.map((carrierId, i) => ({
        carrier_message_id: carrierId,
        message_id: messageId,
        part: i + 1,
      })),
    );
    if (rows.length === 0) return;
    await this.q
      .insertInto('message_parts')
      .values(rows)
      .onConflict((oc) => oc.column('carrier_message_id').doNothing())
      .execute();
  }

  /** Messages by id, in id order; locked (in that order) when `lock`. */
  async byIds(ids: readonly string[], lock = false): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    let query = this.q.selectFrom('messages').selectAll().where('id', 'in', ids).orderBy('id');
    if (lock) query = query.forUpdate();
    return query.execute();
  }

  /** Messages the carrier took: `sent`, holding nothing, each with its timeline's entry. */
  async markSent(sent: readonly { id: string; detail: string }[], at: Date): Promise<void> {
    if (sent.length === 0) return;
    await this.q
      .updateTable('messages')
      .set({ state: 'sent', held_micros: 0n, claimed_at: null, sent_at: at, updated_at: at })
      .where(
        'id',
        'in',
        sent.map((message) => message.id),
      )
      .execute();
    await this.q
      .insertInto('message_events')
      .values(sent.map((message) => ({ message_id: message.id, state: 'sent', detail: message.detail, at })))
      .execute();
  }

  /** Records a part's receipt; answers the message and every part's state, its row locked. */
  async receipt(carrierId: string, state: string) {
    const part = await this.q
      .updateTable('message_parts')
      .set({ state })
      .where('carrier_message_id', '=', carrierId)
      .returning('message_id')
      .executeTakeFirst();
    if (!part) return undefined;
    const message = await this.byId(part.message_id, true);
    const parts = await this.q
      .selectFrom('message_parts')
      .select(['state'])
      .where('message_id', '=', part.message_id)
      .execute();
    return message ? { message, partStates: parts.map((p) => p.state) } : undefined;
  }

  /** The rented number a handset wrote to, with its account, subaccount and application's message_url. */
  async inboundRoute(to: string) {
    return this.q
      .selectFrom('numbers')
      .leftJoin('applications', 'applications.id', 'numbers.application_id')
      .innerJoin('accounts', 'accounts.id', 'numbers.account_id')
      .select([
        'numbers.account_id',
        'numbers.subaccount_id',
        'accounts.currency',
        'applications.message_url',
        'applications.message_method',
      ])
      .where('numbers.number', '=', to.replace(/^\+/, ''))
      .where('numbers.account_id', 'is not', null)
      .executeTakeFirst();
  }

  /** The Auth ID and the encrypted Auth Token a message's callbacks are signed with (its subaccount's, else its account's). */
  async signerOf(message: Pick<MessageRow, 'account_id' | 'subaccount_id'>) {
    return this.q
      .selectFrom('accounts')
      .select(['id', 'auth_id'])
      .where('id', '=', message.subaccount_id ?? message.account_id)
      .executeTakeFirst();
  }

  /**
   * Forgets every message of a main account and its subaccounts (closing it): what queued messages
   * held goes back to the account's free credit first, so the refund counts it.
   */
  async removeAllOf(accountId: string): Promise<number> {
    await sql`
      UPDATE accounts SET held_micros = held_micros - coalesce(
        (SELECT sum(held_micros) FROM messages WHERE account_id = ${accountId}), 0)
      WHERE id = ${accountId}`.execute(this.q);
    const result = await this.q.deleteFrom('messages').where('account_id', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Blanks the text of messages sent with log=false once they are final. */
  async forgetBody(id: string): Promise<void> {
    await sql`UPDATE messages SET body = '' WHERE id = ${id} AND NOT log`.execute(this.q);
  }
}
