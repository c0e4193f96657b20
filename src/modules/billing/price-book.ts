import { sql } from 'kysely';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterCommit, type Db, executor } from '../../db/database.js';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import { money } from '../../lib/money.js';
import type { Tariff } from './rating.js';

/** The channel that tells every instance a price deck was loaded. */
export const PRICES_CHANGED_CHANNEL = 'sb_prices_changed';

/** What a usage event is priced by. */
export interface Destination {
  product: UsageProduct;
  direction: UsageDirection;
  /**
   * E.164 digits, country code first, no "+": the number called or messaged (outbound) or the
   * account's number (inbound); or a SIP address (a call to an endpoint, number type ip).
   */
  number: string;
  numberType: PricedNumberType;
  at: Date;
}

/** The price row in force for a destination. */
export interface PriceMatch {
  countryIso: string;
  product: UsageProduct;
  direction: UsageDirection;
  /** The destination digits the row is for; '' is the country's default. */
  prefix: string;
  numberType: PricedNumberType;
  tariff: Tariff;
  effectiveFrom: Date;
}

interface PriceVersion {
  effectiveFrom: number;
  match: PriceMatch;
}

const COUNTRY_CACHE_LIMIT = 100_000;
/** Countries are assigned by leading digits: seven decide every numbering plan libphonenumber knows. */
const COUNTRY_DIGITS = 7;
const countries = new Map<string, string | null>();

/** The country (ISO 3166 alpha-2) a number in E.164 digits belongs to, or undefined when none does. */
/**
 * The deck's country for calls to SIP addresses (endpoints): ZZ, ISO 3166's code for an unknown
 * country, priced by voice rows of number type ip with no prefix.
 */
export const SIP_COUNTRY = 'ZZ';

/** A call to a SIP address (not a number) is priced as the SIP country's ip calls. */
export function sipCallCountry(destination: Pick<Destination, 'number' | 'numberType' | 'product'>) {
  return destination.product === 'voice' &&
    destination.numberType === 'ip' &&
    isSipAddress(destination.number)
    ? SIP_COUNTRY
    : undefined;
}

/** sip:user@host, or a bare endpoint username (letters first): not a phone number. */
export function isSipAddress(text: string): boolean {
  return /^sip:[^@\s]+@[^\s]+$/.test(text) || /^[A-Za-z][A-Za-z0-9._-]{0,63}$/.test(text);
}

export function countryOfNumber(digits: string): string | undefined {
  if (!/^[1-9][0-9]{6,14}$/.test(digits)) return undefined;
  const key = digits.slice(0, COUNTRY_DIGITS);
  let country = countries.get(key);
  if (country === undefined) {
    // A number in a range libphonenumber does not know yet still belongs to its calling code's country.
    const parsed = parsePhoneNumberFromString(`+${digits}`);
    country = parsed?.country ?? parsed?.getPossibleCountries()[0] ?? null;
    if (countries.size >= COUNTRY_CACHE_LIMIT) countries.clear();
    countries.set(key, country);
  }
  return country ?? undefined;
}

/**
 * Every price staff loaded, indexed for rating: per product, direction, country and number type, a
 * map from prefix to the row's versions by `effective_from`. A destination takes the longest prefix
 * that has a version in force at its time (no prefix: the country's default), of its own number
 * type when the deck prices that type, else of any type.
 */
export class PriceBook {
  private readonly byKey = new Map<string, Map<string, PriceVersion[]>>();

  constructor(
    rows: readonly {
      country_iso: string;
      product: UsageProduct;
      direction: UsageDirection;
      number_type: PricedNumberType;
      prefix: string;
      rate_micros: bigint;
      connect_fee_micros: bigint;
      initial_increment: number;
      subsequent_increment: number;
      effective_from: Date;
    }[],
    currency: string,
  ) {
    for (const row of rows) {
      const key = `${row.product}|${row.direction}|${row.country_iso}|${row.number_type}`;
      let prefixes = this.byKey.get(key);
      if (!prefixes) {
        prefixes = new Map();
        this.byKey.set(key, prefixes);
      }
      const versions = prefixes.get(row.prefix) ?? [];
      versions.push({
        effectiveFrom: row.effective_from.getTime(),
        match: {
          countryIso: row.country_iso,
          product: row.product,
          direction: row.direction,
          prefix: row.prefix,
          numberType: row.number_type,
          effectiveFrom: row.effective_from,
          tariff: {
            rate: money(row.rate_micros, currency),
            connectFee: money(row.connect_fee_micros, currency),
            initialIncrement: row.initial_increment,
            subsequentIncrement: row.subsequent_increment,
          },
        },
      });
      prefixes.set(row.prefix, versions);
    }
    for (const prefixes of this.byKey.values())
      for (const versions of prefixes.values()) versions.sort((a, b) => a.effectiveFrom - b.effectiveFrom);
  }

  static async load(db: Db, currency: string): Promise<PriceBook> {
    const rows = await executor(db)
      .selectFrom('prices')
      .select([
        'country_iso',
        'product',
        'direction',
        'number_type',
        'prefix',
        'rate_micros',
        'connect_fee_micros',
        'initial_increment',
        'subsequent_increment',
        'effective_from',
      ])
      .execute();
    return new PriceBook(rows, currency);
  }

  /** The price in force for the destination at its time, or undefined when the deck has none. */
  find(destination: Destination): PriceMatch | undefined {
    const country = sipCallCountry(destination) ?? countryOfNumber(destination.number);
    if (!country) return undefined;
    const base = `${destination.product}|${destination.direction}|${country}|`;
    const at = destination.at.getTime();
    if (destination.numberType !== '') {
      const typed = this.longestInForce(
        this.byKey.get(base + destination.numberType),
        destination.number,
        at,
      );
      if (typed) return typed;
    }
    return this.longestInForce(this.byKey.get(base), destination.number, at);
  }

  /** The rows (all types) in force at `at` for a country: what the Pricing API shows. */
  inForce(countryIso: string, at: Date): PriceMatch[] {
    const found: PriceMatch[] = [];
    for (const [key, prefixes] of this.byKey) {
      if (key.split('|')[2] !== countryIso) continue;
      for (const versions of prefixes.values()) {
        const version = versionAt(versions, at.getTime());
        if (version) found.push(version.match);
      }
    }
    return found;
  }

  private longestInForce(prefixes: Map<string, PriceVersion[]> | undefined, number: string, at: number) {
    if (!prefixes) return undefined;
    for (let length = Math.min(number.length, 15); length >= 0; length--) {
      const versions = prefixes.get(number.slice(0, length));
      const version = versions && versionAt(versions, at);
      if (version) return version.match;
    }
    return undefined;
  }
}

/** The latest version whose effective_from is at or before `at`. */
function versionAt(versions: PriceVersion[], at: number): PriceVersion | undefined {
  let found: PriceVersion | undefined;
  for (const version of versions) {
    if (version.effectiveFrom > at) break;
    found = version;
  }
  return found;
}

/**
 * The price book this instance rates with: loaded on first use and again after any instance loads
 * a deck (PRICES_CHANGED_CHANNEL; its own loads at commit).
 */
export class Prices {
  private book: Promise<PriceBook> | undefined;

  constructor(
    private readonly db: Db,
    private readonly currency: string,
  ) {}

  current(): Promise<PriceBook> {
    if (!this.book) {
      const loading = PriceBook.load(this.db, this.currency);
      this.book = loading;
      loading.catch(() => {
        if (this.book === loading) this.book = undefined;
      });
    }
    return this.book;
  }

  /** Drops the book: the next use loads the prices again. */
  forget(): void {
    this.book = undefined;
  }

  /** Tells every instance, once the open transaction commits, that the prices changed. */
  async announceChange(): Promise<void> {
    await sql`SELECT pg_notify(${PRICES_CHANGED_CHANNEL}, '')`.execute(executor(this.db));
    afterCommit(() => this.forget());
  }
}
