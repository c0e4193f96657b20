import { type CountryCode, getCountryCallingCode, isSupportedCountry } from 'libphonenumber-js';
import { type Db, inTransaction } from '../../db/database.js';
import type { AccountStatus, NumberType } from '../../db/schema.js';
import type { EventPayload } from '../../events/catalog.js';
import type { Clock } from '../../lib/clock.js';
import { isCalendarDate } from '../../lib/dates.js';
import {
  assertThat,
  Conflict,
  changesSomething,
  NotFound,
  NothingToChange,
  ValidationFailed,
} from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { ApiScope } from '../accounts/scope.js';
import type { Actor, AuditLog } from '../audit/audit.js';
import type { NumberRentals } from '../billing/rentals.js';
import type { CreditControl } from '../credit-control/service.js';
import type { SubaccountService } from '../subaccounts/service.js';
import { NumberErrors } from './errors.js';
import { readInventoryCsv } from './inventory-file.js';
import { type InventoryFilter, NumberStore, type RentedFilter } from './store.js';

type RenewalFilter =
  | 'renewal_date'
  | 'renewal_date__lt'
  | 'renewal_date__lte'
  | 'renewal_date__gt'
  | 'renewal_date__gte';
/** Plivo's renewal-date filters and the comparison each stands for. */
const renewalFilters: [RenewalFilter, '=' | '<' | '<=' | '>' | '>='][] = [
  ['renewal_date', '='],
  ['renewal_date__lt', '<'],
  ['renewal_date__lte', '<='],
  ['renewal_date__gt', '>'],
  ['renewal_date__gte', '>='],
];

type Service = 'voice' | 'sms' | 'mms';
/** The types staff stock in the inventory. */
const STOCKED_TYPES: readonly string[] = ['local', 'tollfree', 'mobile'];
/** Plivo's API also names national and fixed numbers; the inventory holds neither, so they match no number. */
const UNSTOCKED_TYPES: readonly string[] = ['national', 'fixed'];
const SERVICES: readonly string[] = ['voice', 'sms', 'mms'];
/** Accounts still being verified or reviewed may look, but renting is billable: only active accounts rent. */
const MAY_RENT: readonly AccountStatus[] = ['active'];
/** Internal work done on a customer's behalf (a subaccount's deletion) rather than by a request of its own. */
const SYSTEM_ACTOR: Actor = { ip: 'system', userAgent: null };

const notFound = (number: string) =>
  NotFound(NumberErrors.notFound, `Number ${number} not found on this account.`);

/** 'YYYY-MM-DD' in UTC. */
const day = (date: Date) => date.toISOString().slice(0, 10);

/** The same day of the next month, or that month's last day when it is shorter (31 January → 28/29 February). */
export function nextMonthDay(date: Date): string {
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return day(new Date(Date.UTC(year, month, Math.min(date.getUTCDate(), lastDay))));
}

/** The inventory type a `type` parameter asks for: undefined for any type, null for a type never stocked. */
function typeOf(type: string | undefined): NumberType | null | undefined {
  if (!type || type === 'any') return undefined;
  if (UNSTOCKED_TYPES.includes(type)) return null;
  assertThat(
    STOCKED_TYPES.includes(type),
    ValidationFailed(
      NumberErrors.invalidType,
      `type must be local, tollfree, mobile, national, fixed or any, not "${type}".`,
    ),
  );
  return type as NumberType;
}

/** An empty page, for a filter that can match nothing. */
const nothing = () => ({ rows: [], total: 0 });

/** services=voice,sms: numbers that have every service named. */
function servicesOf(services: string | undefined): Service[] {
  if (!services) return [];
  const named = services
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = named.filter((s) => !SERVICES.includes(s));
  assertThat(
    unknown.length === 0,
    ValidationFailed(
      NumberErrors.invalidServices,
      `services must name voice, sms or mms (comma separated), not "${services}".`,
    ),
  );
  return named as Service[];
}

/**
 * Phone numbers: an inventory staff load; customers search what is available, rent it to their main
 * account (or a subaccount renting with its own credentials), link an application, give an alias,
 * move it between their own subaccounts, and unrent it back to the inventory.
 */
export class NumberService {
  readonly store: NumberStore;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly subaccounts: SubaccountService,
    /** Billing's charge of the monthly rental (absent: renting charges nothing). */
    private readonly rentals?: NumberRentals,
    /** Credit control: renting is refused (402) when the free credit cannot pay the first month. */
    private readonly credit?: Pick<CreditControl, 'assertMaySpend'>,
  ) {
    this.store = new NumberStore(db);
  }

  /**
   * Adds numbers to the inventory from a CSV (see README): every line is checked first and nothing is
   * added unless all are good; a number already in the inventory is refused, naming its line.
   */
  async load(actor: Actor, csv: string) {
    const { numbers, problems } = readInventoryCsv(csv);
    const refuse = (found: string[]) =>
      ValidationFailed(
        NumberErrors.invalidInventory,
        `No numbers were added. ${found.slice(0, 20).join('. ')}${found.length > 20 ? `. (${found.length - 20} more problems)` : ''}.`,
      );
    assertThat(problems.length === 0, () => refuse(problems));
    return inTransaction(this.db, async () => {
      const existing = new Set(await this.store.existing(numbers.map((n) => n.number)));
      assertThat(existing.size === 0, () =>
        refuse(
          numbers
            .filter((n) => existing.has(n.number))
            .map((n) => `line ${n.line}: number ${n.number} is already in the inventory`),
        ),
      );
      await this.store.insertMany(
        numbers.map((n) => ({
          id: newId(),
          number: n.number,
          country_iso: n.countryIso,
          number_type: n.type,
          region: n.region,
          city: n.city,
          rate_center: n.rateCenter,
          voice_enabled: n.voice,
          sms_enabled: n.sms,
          mms_enabled: n.mms,
          monthly_rental_micros: n.monthlyRentalMicros,
          voice_rate_micros: n.voiceRateMicros,
          sms_rate_micros: n.smsRateMicros,
          mms_rate_micros: n.mmsRateMicros,
        })),
      );
      await this.audit.record(actor, {
        action: 'numbers.loaded',
        details: { count: numbers.length, numbers: numbers.slice(0, 100).map((n) => n.number) },
      });
      return { loaded: numbers.length };
    });
  }

  /**
   * Staff's view of the inventory, rented or not, with the account renting each number; `q` is digits
   * of a number (spaces, dashes, brackets and a leading + allowed) or else the renting account: part of
   * its name, or its or a subaccount's Auth ID.
   */
  inventory(
    filter: {
      country?: string;
      type?: NumberType;
      state?: InventoryFilter['state'];
      q?: string;
      order?: InventoryFilter['order'];
    },
    limit: number,
    offset: number,
  ) {
    const q = filter.q?.trim() ?? '';
    const isNumber = /^\+?[\d\s().-]+$/.test(q);
    return this.store.inventoryPage(
      {
        countryIso: filter.country?.toUpperCase(),
        type: filter.type,
        state: filter.state ?? 'all',
        digits: isNumber ? q.replace(/\D/g, '') || undefined : undefined,
        account: !isNumber && q ? q : undefined,
        order: filter.order ?? 'newest',
      },
      limit,
      offset,
    );
  }

  /**
   * Staff remove a number from the inventory, so it can no longer be found or rented. A rented number
   * is refused (409, naming the account renting it): its account releases it first. Audited.
   */
  async removeFromInventory(actor: Actor, number: string) {
    await inTransaction(this.db, async () => {
      const removed = await this.store.removeUnrented(number);
      if (!removed) {
        const renter = await this.store.renterOf(number);
        assertThat(renter, NotFound(NumberErrors.notFound, `Number ${number} is not in the inventory.`));
        throw Conflict(
          NumberErrors.numberRented,
          `Number ${number} is rented by ${renter.name} (${renter.auth_id}): only an unrented number can be removed from the inventory.`,
        );
      }
      await this.audit.record(actor, {
        action: 'number.removed_from_inventory',
        details: { number, countryIso: removed.country_iso, type: removed.number_type },
      });
    });
  }

  /** What renting a number of each type costs a month in a country, from: the lowest rental of the numbers available (Pricing). */
  async rentalPrices(countryIso: string): Promise<{ type: NumberType; monthlyRentalMicros: bigint }[]> {
    const rows = await this.store.lowestRentals(countryIso);
    return rows.map((row) => ({
      type: row.number_type,
      monthlyRentalMicros: BigInt(row.monthly_rental_micros),
    }));
  }

  /** Search available numbers: country_iso is required; pattern digits follow the country code, `*` or `?` matching any one digit. */
  async search(
    filter: {
      country_iso?: string;
      type?: string;
      pattern?: string;
      region?: string;
      city?: string;
      rate_center?: string;
      services?: string;
    },
    limit: number,
    offset: number,
  ) {
    const countryIso = (filter.country_iso ?? '').trim().toUpperCase();
    assertThat(
      countryIso,
      ValidationFailed(
        NumberErrors.countryIsoRequired,
        'country_iso is required: the two-letter country code, such as US.',
      ),
    );
    assertThat(
      isSupportedCountry(countryIso),
      ValidationFailed(
        NumberErrors.invalidCountryIso,
        `country_iso "${countryIso}" is not a known two-letter country code.`,
      ),
    );
    let numberLike: string | undefined;
    if (filter.pattern) {
      assertThat(
        /^[0-9*?]{1,15}$/.test(filter.pattern),
        ValidationFailed(
          NumberErrors.invalidPattern,
          'pattern may hold digits, and * or ? for any one digit, such as 415 or 415*55.',
        ),
      );
      numberLike = `${getCountryCallingCode(countryIso as CountryCode)}${filter.pattern.replace(/[*?]/g, '_')}%`;
    }
    const type = typeOf(filter.type);
    if (type === null) return nothing();
    return this.store.availablePage(
      {
        countryIso,
        type,
        numberLike,
        region: filter.region || undefined,
        city: filter.city || undefined,
        rateCenter: filter.rate_center || undefined,
        services: servicesOf(filter.services),
      },
      limit,
      offset,
    );
  }

  /**
   * Rent (buy) an available number. It belongs to the caller: the main account, or the subaccount
   * whose credentials rented it, or (the console's one step) the subaccount `into` names, checked in
   * the same transaction: a bad subaccount leaves the number in the inventory. Accounts under
   * verification or review may not rent (it is billable), nor one whose free credit cannot pay the
   * first month (402). The first month's rental is charged in the same transaction.
   */
  async rent(
    actor: Actor,
    caller: { scope: ApiScope; status: AccountStatus },
    number: string,
    applicationId: string | null,
    into?: string,
  ) {
    assertThat(
      MAY_RENT.includes(caller.status),
      ValidationFailed(
        NumberErrors.accountNotActive,
        'Renting a number is billable: the account must be active first. It is still being verified or reviewed.',
      ),
    );
    const { scope } = caller;
    const today = this.clock.now();
    await inTransaction(this.db, async () => {
      const owner =
        into === undefined || into === '' || (into === scope.mainAuthId && !scope.subaccount)
          ? scope.subaccount
          : await this.subaccountOf(scope, into);
      const rented = await this.store.rentIfAvailable(number, {
        account_id: scope.mainAccountId,
        subaccount_id: owner?.id ?? null,
        application_id: applicationId,
        alias: null,
        added_on: day(today),
        renewal_date: nextMonthDay(today),
      });
      if (rented) {
        await this.credit?.assertMaySpend(
          scope.mainAccountId,
          owner?.id ?? null,
          rented.monthlyRentalMicros,
          `renting +${number} (the first month's rental)`,
        );
        await this.rentals?.chargeRental({
          accountId: scope.mainAccountId,
          subaccountId: owner?.id ?? null,
          number,
          periodStart: day(today),
          amountMicros: rented.monthlyRentalMicros,
        });
      } else {
        assertThat(
          await this.store.inInventory(number),
          NotFound(
            NumberErrors.notFound,
            `Number ${number} is not in the inventory: search available numbers first.`,
          ),
        );
        throw ValidationFailed(
          NumberErrors.notAvailable,
          `Number ${number} is not available: it is already rented. Search for another with GET PhoneNumber/.`,
        );
      }
      await this.audit.record(actor, {
        action: 'number.rented',
        accountId: scope.mainAccountId,
        details: { number, subaccount: owner?.authId ?? null },
      });
    });
  }

  async get(scope: ApiScope, number: string) {
    const row = await this.store.rented(scope, number);
    assertThat(row, notFound(number));
    return row;
  }

  /** List rented numbers; `subaccount` (an SA Auth ID of this account) narrows the main account's list. */
  async page(
    scope: ApiScope,
    filter: {
      type?: string;
      number_startswith?: string;
      subaccount?: string;
      alias?: string;
      services?: string;
    } & Partial<Record<RenewalFilter, string>>,
    limit: number,
    offset: number,
  ) {
    const renewal: RentedFilter['renewal'] = [];
    for (const [key, operator] of renewalFilters) {
      const day = filter[key];
      if (day === undefined) continue;
      assertThat(
        isCalendarDate(day),
        ValidationFailed(
          NumberErrors.invalidRenewalDate,
          `${key} must be a date that exists, such as 2026-12-31.`,
          [{ field: key, message: 'must be a date that exists, such as 2026-12-31' }],
        ),
      );
      renewal.push({ operator, day });
    }
    if (filter.number_startswith)
      assertThat(
        /^\d{1,15}$/.test(filter.number_startswith),
        ValidationFailed(
          NumberErrors.invalidNumberStartsWith,
          'number_startswith must be digits, such as 1415.',
        ),
      );
    let subaccountId: string | undefined;
    if (filter.subaccount) subaccountId = (await this.subaccountOf(scope, filter.subaccount)).id;
    const type = typeOf(filter.type);
    if (type === null) return nothing();
    return this.store.rentedPage(
      scope,
      {
        type,
        numberStartsWith: filter.number_startswith || undefined,
        subaccountId,
        alias: filter.alias,
        services: servicesOf(filter.services),
        renewal,
      },
      limit,
      offset,
    );
  }

  /** A subaccount of the caller's main account; a number never moves to another account. */
  private async subaccountOf(scope: ApiScope, authId: string) {
    if (scope.subaccount) {
      assertThat(
        authId === scope.subaccount.authId,
        ValidationFailed(
          NumberErrors.subaccountCannotMoveNumbers,
          'A subaccount cannot give its numbers to another subaccount: use the main account’s credentials.',
        ),
      );
      return scope.subaccount;
    }
    const sub = await this.subaccounts.find(scope.mainAccountId, authId);
    assertThat(
      sub,
      ValidationFailed(
        NumberErrors.invalidSubaccount,
        `subaccount ${authId} is not a subaccount of this account: numbers move only between an account and its own subaccounts.`,
      ),
    );
    return sub;
  }

  /**
   * Update Number: alias, application (already checked to be in the caller's scope; null unlinks) and
   * subaccount: an SA Auth ID of the same main account, or the main Auth ID to give it back to the main
   * account. Nothing changes unless every part is allowed.
   */
  async update(
    actor: Actor,
    scope: ApiScope,
    number: string,
    changes: { alias?: string; applicationId?: string | null; subaccount?: string },
  ) {
    assertThat(changesSomething(changes), NothingToChange(['alias', 'app_id', 'subaccount']));
    if (changes.alias !== undefined)
      assertThat(
        changes.alias.length <= 200,
        ValidationFailed(NumberErrors.invalidAlias, 'alias must be at most 200 characters.'),
      );
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, number);
      let subaccountId: string | null | undefined;
      if (changes.subaccount !== undefined && changes.subaccount !== '') {
        subaccountId =
          changes.subaccount === scope.mainAuthId && !scope.subaccount
            ? null
            : (await this.subaccountOf(scope, changes.subaccount)).id;
      }
      const moved = subaccountId !== undefined && subaccountId !== row.subaccount_id;
      const columns = {
        ...(changes.alias === undefined ? {} : { alias: changes.alias }),
        ...(changes.applicationId === undefined ? {} : { application_id: changes.applicationId }),
        ...(moved ? { subaccount_id: subaccountId } : {}),
      };
      // Moving a number to where it already is changes no column.
      if (changesSomething(columns)) await this.store.update(row.id, columns);
      await this.audit.record(actor, {
        action: moved ? 'number.moved' : 'number.updated',
        accountId: scope.mainAccountId,
        details: {
          number,
          fields: Object.keys(changes),
          ...(moved ? { from: row.subaccount_auth_id, to: subaccountId ? changes.subaccount : null } : {}),
        },
      });
    });
  }

  /** Unrent: the number goes back to the inventory, without owner, application or alias. */
  async unrent(actor: Actor, scope: ApiScope, number: string) {
    await inTransaction(this.db, async () => {
      const row = await this.get(scope, number);
      await this.store.release([row.id]);
      await this.audit.record(actor, {
        action: 'number.unrented',
        accountId: scope.mainAccountId,
        details: { number, subaccount: row.subaccount_auth_id },
      });
    });
  }

  /** Called when an application is deleted: its numbers stay rented, linked to no application. */
  async unlinkApplication(actor: Actor, accountId: string, applicationId: string) {
    const numbers = await this.store.unlinkApplication(applicationId);
    if (numbers.length > 0)
      await this.audit.record(actor, {
        action: 'numbers.unlinked',
        accountId,
        details: { numbers, reason: 'application_deleted' },
      });
  }

  /** A closing account's numbers, its subaccounts' too, go back to the inventory; answers how many. */
  async releaseAllOf(accountId: string): Promise<number> {
    const rented = await this.store.rentedBy(accountId);
    if (rented.length === 0) return 0;
    await this.store.release(rented.map((row) => row.id));
    await this.audit.record(SYSTEM_ACTOR, {
      action: 'number.unrented',
      accountId,
      details: { numbers: rented.map((row) => row.number), reason: 'account_closed', to: 'inventory' },
    });
    return rented.length;
  }

  /**
   * `subaccount.deleting`: the console's delete is refused while the subaccount rents numbers (they
   * are named in `held`); otherwise they are released to the inventory (cascade) or given to the main account.
   */
  async subaccountDeleting({ subaccountId, policy, held: named }: EventPayload<'subaccount.deleting'>) {
    const held = await this.store.heldBySubaccount(subaccountId);
    if (policy === 'refuse') {
      named.push(...held.map((row) => `number ${row.number}`));
      return;
    }
    if (held.length === 0) return;
    const ids = held.map((row) => row.id);
    if (policy === 'cascade') await this.store.release(ids);
    else await this.store.moveToMain(ids);
    await this.audit.record(SYSTEM_ACTOR, {
      action: policy === 'cascade' ? 'number.unrented' : 'number.moved',
      accountId: held[0]?.account_id ?? null,
      details: {
        numbers: held.map((row) => row.number),
        reason: 'subaccount_deleted',
        to: policy === 'cascade' ? 'inventory' : 'main',
      },
    });
  }
}
