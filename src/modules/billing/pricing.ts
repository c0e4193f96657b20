import { type CountryCode, getCountryCallingCode } from 'libphonenumber-js/max';
import type { NumberType, PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import { formatMoney } from '../../lib/money.js';
import type { PriceMatch } from './price-book.js';
import type { DestinationRate, Pricing } from './price-schemas.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const TYPES = ['ip', 'local', 'tollfree', 'mobile'] as const;

/** Rows by prefix (the country default first), then number type (any type first). */
const byDestination = (a: PriceMatch, b: PriceMatch) =>
  a.prefix.length - b.prefix.length ||
  a.prefix.localeCompare(b.prefix) ||
  a.numberType.localeCompare(b.numberType);

/**
 * The headline rate of a number type: what the deck charges a destination of that type that no
 * prefix matches (its own default, else the default of any type), as PriceBook.find decides.
 */
function headline(rows: PriceMatch[], type: PricedNumberType): string | null {
  const own = rows.find((row) => row.prefix === '' && row.numberType === type);
  const any = rows.find((row) => row.prefix === '' && row.numberType === '');
  const found = own ?? any;
  return found ? formatMoney(found.tariff.rate.micros) : null;
}

/**
 * A messaging channel's headline rate: the default of any type, else the lowest default of a type,
 * else (a deck of prefixes only) the lowest rate.
 */
function messageHeadline(rows: PriceMatch[]): string | null {
  const any = rows.find((row) => row.prefix === '' && row.numberType === '');
  if (any) return formatMoney(any.tariff.rate.micros);
  const defaults = rows.filter((row) => row.prefix === '');
  const candidates = defaults.length > 0 ? defaults : rows;
  let lowest: bigint | null = null;
  for (const row of candidates)
    if (lowest === null || row.tariff.rate.micros < lowest) lowest = row.tariff.rate.micros;
  return lowest === null ? null : formatMoney(lowest);
}

/**
 * A country's prices in Plivo's Pricing shape, from the deck rows in force now and the lowest
 * monthly rental of the numbers available to rent, by type. Switchboard adds, where Plivo's shape
 * has room: mobile beside ip/local/tollfree, each destination's number type, connect fee and
 * increments, inbound voice rates, and `mms` shaped as `message`.
 */
export function pricingOf(
  countryIso: string,
  inForce: readonly PriceMatch[],
  rentals: readonly { type: NumberType; monthlyRentalMicros: bigint }[],
): Pricing {
  const callingCode = getCountryCallingCode(countryIso as CountryCode);
  const rows = [...inForce].sort(byDestination);
  const of = (wanted: UsageProduct, direction: UsageDirection) =>
    rows.filter((row) => row.product === wanted && row.direction === direction);
  const prefixOf = (row: PriceMatch) => [row.prefix || callingCode];
  const destinationRate = (row: PriceMatch): DestinationRate => ({
    prefix: prefixOf(row),
    rate: formatMoney(row.tariff.rate.micros),
    number_type: row.numberType || null,
    connect_fee: formatMoney(row.tariff.connectFee.micros),
    initial_increment: row.tariff.initialIncrement,
    subsequent_increment: row.tariff.subsequentIncrement,
  });
  const voice = (direction: UsageDirection) => {
    const voiceRows = of('voice', direction);
    return {
      ...Object.fromEntries(TYPES.map((type) => [type, { rate: headline(voiceRows, type) }])),
      rates: voiceRows.map(destinationRate),
    } as Pricing['voice']['outbound'];
  };
  const messages = (wanted: UsageProduct) => {
    const outbound = of(wanted, 'outbound');
    return {
      inbound: { rate: messageHeadline(of(wanted, 'inbound')) },
      outbound: { rate: messageHeadline(outbound) },
      outbound_networks_list: outbound.map((row) => ({
        group_name: [countryIso, row.prefix && `+${row.prefix}`, row.numberType].filter(Boolean).join(' '),
        rate: formatMoney(row.tariff.rate.micros),
        prefix: prefixOf(row),
        number_type: row.numberType || null,
      })),
    };
  };
  const phoneNumbers: Pricing['phone_numbers'] = {};
  for (const rental of rentals) phoneNumbers[rental.type] = { rate: formatMoney(rental.monthlyRentalMicros) };
  return {
    country: regionNames.of(countryIso) ?? countryIso,
    country_code: Number(callingCode),
    country_iso: countryIso,
    message: messages('sms'),
    mms: messages('mms'),
    phone_numbers: phoneNumbers,
    voice: { inbound: voice('inbound'), outbound: voice('outbound') },
  };
}
