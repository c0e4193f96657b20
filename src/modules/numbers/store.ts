import type { Insertable, Updateable } from 'kysely';
import { type Db, executor } from '../../db/database.js';
import { type OwnerScope, ownedWithin, pageOf, subaccountAuthIdOf } from '../../db/paging.js';
import type { NumbersTable, NumberType } from '../../db/schema.js';

export type RentedNumberRow = Awaited<ReturnType<NumberStore['rented']>> & {};
export type AvailableNumberRow = Awaited<ReturnType<NumberStore['availablePage']>>['rows'][number];
export type InventoryRow = Awaited<ReturnType<NumberStore['inventoryPage']>>['rows'][number];

/** Staff's view of the whole inventory: rented, unrented or both. */
export interface InventoryFilter {
  countryIso?: string;
  type?: NumberType;
  state: 'rented' | 'unrented' | 'all';
  /** Digits: numbers holding them. */
  digits?: string;
  /** Otherwise: numbers rented by an account whose name holds this, or whose (or whose subaccount's) Auth ID it is. */
  account?: string;
  order: 'newest' | 'number';
}

export interface AvailableFilter {
  countryIso: string;
  type?: NumberType;
  /** A LIKE pattern on the whole number, anchored at its start. */
  numberLike?: string;
  region?: string;
  city?: string;
  rateCenter?: string;
  services: ('voice' | 'sms' | 'mms')[];
}

export interface RentedFilter {
  type?: NumberType;
  numberStartsWith?: string;
  subaccountId?: string;
  alias?: string;
  services: ('voice' | 'sms' | 'mms')[];
  renewal: { operator: '=' | '<' | '<=' | '>' | '>='; day: string }[];
}

const capabilityColumn = {
  voice: 'numbers.voice_enabled',
  sms: 'numbers.sms_enabled',
  mms: 'numbers.mms_enabled',
} as const;

/** Escapes LIKE's own wildcards in text meant literally. */
const literal = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** SQL for the number inventory: available numbers for anyone, rented numbers within a caller's scope. */
export class NumberStore {
  constructor(private readonly db: Db) {}

  private get q() {
    return executor(this.db);
  }

  private scoped(scope: OwnerScope) {
    return this.q
      .selectFrom('numbers')
      .leftJoin('applications', 'applications.id', 'numbers.application_id')
      .selectAll('numbers')
      .select([subaccountAuthIdOf('numbers'), 'applications.app_id'])
      .where(ownedWithin(scope, 'numbers'));
  }

  rented(scope: OwnerScope, number: string) {
    return this.scoped(scope).where('numbers.number', '=', number).executeTakeFirst();
  }

  async rentedPage(scope: OwnerScope, filter: RentedFilter, limit: number, offset: number) {
    let query = this.scoped(scope);
    if (filter.type) query = query.where('numbers.number_type', '=', filter.type);
    if (filter.numberStartsWith)
      query = query.where('numbers.number', 'like', `${literal(filter.numberStartsWith)}%`);
    if (filter.subaccountId) query = query.where('numbers.subaccount_id', '=', filter.subaccountId);
    if (filter.alias !== undefined) query = query.where('numbers.alias', '=', filter.alias);
    for (const service of filter.services) query = query.where(capabilityColumn[service], '=', true);
    for (const { operator, day } of filter.renewal)
      query = query.where('numbers.renewal_date', operator, day);
    return pageOf(query, (q) => q.orderBy('numbers.added_on', 'desc').orderBy('numbers.number'), {
      limit,
      offset,
    });
  }

  async availablePage(filter: AvailableFilter, limit: number, offset: number) {
    let query = this.q
      .selectFrom('numbers')
      .where('numbers.account_id', 'is', null)
      .where('numbers.country_iso', '=', filter.countryIso);
    if (filter.type) query = query.where('numbers.number_type', '=', filter.type);
    if (filter.numberLike) query = query.where('numbers.number', 'like', filter.numberLike);
    const lower = (column: 'numbers.region' | 'numbers.city' | 'numbers.rate_center', value: string) =>
      query.where((eb) => eb(eb.fn('lower', [column]), '=', value.toLowerCase()));
    if (filter.region) query = lower('numbers.region', filter.region);
    if (filter.city) query = lower('numbers.city', filter.city);
    if (filter.rateCenter) query = lower('numbers.rate_center', filter.rateCenter);
    for (const service of filter.services) query = query.where(capabilityColumn[service], '=', true);
    return pageOf(query.selectAll('numbers'), (q) => q.orderBy('numbers.number'), { limit, offset });
  }

  /** The inventory as staff see it, with the account renting each rented number. */
  async inventoryPage(filter: InventoryFilter, limit: number, offset: number) {
    let query = this.q
      .selectFrom('numbers')
      .leftJoin('accounts', 'accounts.id', 'numbers.account_id')
      .leftJoin('accounts as subaccounts', 'subaccounts.id', 'numbers.subaccount_id');
    if (filter.countryIso) query = query.where('numbers.country_iso', '=', filter.countryIso);
    if (filter.type) query = query.where('numbers.number_type', '=', filter.type);
    if (filter.state === 'rented') query = query.where('numbers.account_id', 'is not', null);
    if (filter.state === 'unrented') query = query.where('numbers.account_id', 'is', null);
    if (filter.digits) query = query.where('numbers.number', 'like', `%${literal(filter.digits)}%`);
    const account = filter.account;
    if (account)
      query = query.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['accounts.name']), 'like', `%${literal(account.toLowerCase())}%`),
          eb('accounts.auth_id', '=', account.toUpperCase()),
          eb('subaccounts.auth_id', '=', account.toUpperCase()),
        ]),
      );
    const selected = query.select([
      'numbers.number',
      'numbers.country_iso',
      'numbers.number_type',
      'numbers.region',
      'numbers.city',
      'numbers.voice_enabled',
      'numbers.sms_enabled',
      'numbers.mms_enabled',
      'numbers.monthly_rental_micros',
      'numbers.added_on',
      'numbers.loaded_at',
      'numbers.account_id',
      'accounts.auth_id as account_auth_id',
      'accounts.name as account_name',
      'subaccounts.auth_id as subaccount_auth_id',
    ]);
    return pageOf(
      selected,
      (q) =>
        filter.order === 'number'
          ? q.orderBy('numbers.number')
          : q.orderBy('numbers.loaded_at', 'desc').orderBy('numbers.number'),
      { limit, offset },
    );
  }

  /** The account renting a number of the inventory (null columns when unrented); undefined for an unknown number. */
  renterOf(number: string) {
    return this.q
      .selectFrom('numbers')
      .leftJoin('accounts', 'accounts.id', 'numbers.account_id')
      .select(['numbers.account_id', 'accounts.auth_id', 'accounts.name'])
      .where('numbers.number', '=', number)
      .executeTakeFirst();
  }

  /** Removes a number from the inventory unless it is rented; answers what was removed, or undefined. */
  removeUnrented(number: string) {
    return this.q
      .deleteFrom('numbers')
      .where('number', '=', number)
      .where('account_id', 'is', null)
      .returning(['number', 'country_iso', 'number_type'])
      .executeTakeFirst();
  }

  /** Which of these numbers the inventory already holds. */
  async existing(numbers: string[]): Promise<string[]> {
    if (numbers.length === 0) return [];
    const rows = await this.q.selectFrom('numbers').select('number').where('number', 'in', numbers).execute();
    return rows.map((row) => row.number);
  }

  async insertMany(rows: Insertable<NumbersTable>[]) {
    for (let i = 0; i < rows.length; i += 500) {
      await this.q
        .insertInto('numbers')
        .values(rows.slice(i, i + 500))
        .execute();
    }
  }

  /** Gives an available number to an account; answers its monthly rental, or null when it is not available (unknown or rented). */
  async rentIfAvailable(
    number: string,
    changes: Updateable<NumbersTable>,
  ): Promise<{ monthlyRentalMicros: bigint } | null> {
    const row = await this.q
      .updateTable('numbers')
      .set(changes)
      .where('number', '=', number)
      .where('account_id', 'is', null)
      .returning('monthly_rental_micros')
      .executeTakeFirst();
    return row ? { monthlyRentalMicros: row.monthly_rental_micros } : null;
  }

  /** The lowest monthly rental of the numbers available to rent in a country, by type. */
  lowestRentals(countryIso: string) {
    return this.q
      .selectFrom('numbers')
      .select((eb) => ['number_type', eb.fn.min('monthly_rental_micros').as('monthly_rental_micros')])
      .where('country_iso', '=', countryIso)
      .where('account_id', 'is', null)
      .groupBy('number_type')
      .orderBy('number_type')
      .execute();
  }

  async inInventory(number: string): Promise<boolean> {
    return Boolean(
      await this.q.selectFrom('numbers').select('id').where('number', '=', number).executeTakeFirst(),
    );
  }

  async update(id: string, changes: Updateable<NumbersTable>) {
    await this.q.updateTable('numbers').set(changes).where('id', '=', id).execute();
  }

  /** Back to the inventory: no owner, application or alias. */
  async release(ids: string[]) {
    if (ids.length === 0) return;
    await this.q
      .updateTable('numbers')
      .set({
        account_id: null,
        subaccount_id: null,
        application_id: null,
        alias: null,
        added_on: null,
        renewal_date: null,
      })
      .where('id', 'in', ids)
      .execute();
  }

  async unlinkApplication(applicationId: string): Promise<string[]> {
    const rows = await this.q
      .updateTable('numbers')
      .set({ application_id: null })
      .where('application_id', '=', applicationId)
      .returning('number')
      .execute();
    return rows.map((row) => row.number);
  }

  /** Every number the account rents, its subaccounts' included. */
  rentedBy(accountId: string) {
    return this.q
      .selectFrom('numbers')
      .select(['id', 'number'])
      .where('account_id', '=', accountId)
      .orderBy('number')
      .execute();
  }

  heldBySubaccount(subaccountId: string) {
    return this.q
      .selectFrom('numbers')
      .select(['id', 'number', 'account_id'])
      .where('subaccount_id', '=', subaccountId)
      .orderBy('number')
      .execute();
  }

  async moveToMain(ids: string[]) {
    if (ids.length === 0) return;
    await this.q.updateTable('numbers').set({ subaccount_id: null }).where('id', 'in', ids).execute();
  }
}
