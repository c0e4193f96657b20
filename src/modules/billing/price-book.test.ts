import { describe, expect, it } from 'vitest';
import type { PricedNumberType, UsageDirection, UsageProduct } from '../../db/schema.js';
import { countryOfNumber, type Destination, PriceBook } from './price-book.js';

const jan = new Date('2027-01-01T00:00:00Z');
const feb = new Date('2027-02-01T00:00:00Z');

function row(
  fields: Partial<{
    country_iso: string;
    product: UsageProduct;
    direction: UsageDirection;
    number_type: PricedNumberType;
    prefix: string;
    rate_micros: bigint;
    effective_from: Date;
  }>,
) {
  return {
    country_iso: 'US',
    product: 'voice' as UsageProduct,
    direction: 'outbound' as UsageDirection,
    number_type: '' as PricedNumberType,
    prefix: '',
    rate_micros: 10_000n,
    connect_fee_micros: 0n,
    initial_increment: 60,
    subsequent_increment: 60,
    effective_from: jan,
    ...fields,
  };
}

const call = (number: string, more: Partial<Destination> = {}): Destination => ({
  product: 'voice',
  direction: 'outbound',
  number,
  numberType: '',
  at: new Date('2027-01-15T12:00:00Z'),
  ...more,
});
const rateOf = (book: PriceBook, destination: Destination) => book.find(destination)?.tariff.rate.micros;

describe('finding the price of a destination', () => {
  const book = new PriceBook(
    [
      row({ prefix: '', rate_micros: 10_000n }),
      row({ prefix: '1415', rate_micros: 7_000n }),
      row({ prefix: '1415555', rate_micros: 5_000n }),
      row({ prefix: '1212', rate_micros: 9_000n, effective_from: feb }),
      row({ country_iso: 'GB', prefix: '447', rate_micros: 40_000n }),
      row({ country_iso: 'GB', rate_micros: 20_000n }),
      row({ direction: 'inbound', number_type: 'tollfree', rate_micros: 30_000n }),
      row({ direction: 'inbound', rate_micros: 8_500n }),
      row({ product: 'sms', rate_micros: 5_000n }),
    ],
    'USD',
  );

  it('takes the longest matching prefix', () => {
    expect(rateOf(book, call('14155550100'))).toBe(5_000n);
    expect(rateOf(book, call('14156660100'))).toBe(7_000n);
    expect(rateOf(book, call('447700900123'))).toBe(40_000n);
  });
  it("takes the country's default when no prefix matches", () => {
    expect(rateOf(book, call('13125550100'))).toBe(10_000n);
    expect(rateOf(book, call('442071838750'))).toBe(20_000n);
  });
  it('takes the price in force when the usage happened', () => {
    expect(rateOf(book, call('12125550100'))).toBe(10_000n);
    expect(rateOf(book, call('12125550100', { at: new Date('2027-02-01T00:00:00Z') }))).toBe(9_000n);
    expect(book.find(call('12125550100', { at: new Date('2026-12-31T23:59:59Z') }))).toBeUndefined();
  });
  it("takes the number type's own price, else the price of any type", () => {
    const inbound = { direction: 'inbound' as const, numberType: 'tollfree' as const };
    expect(rateOf(book, call('18005550100', inbound))).toBe(30_000n);
    expect(rateOf(book, call('14155550100', { ...inbound, numberType: 'local' }))).toBe(8_500n);
  });
  it('finds no price for a product, country or number the deck does not price', () => {
    expect(book.find(call('14155550100', { product: 'mms' }))).toBeUndefined();
    expect(book.find(call('33142685300'))).toBeUndefined();
    expect(book.find(call('999'))).toBeUndefined();
  });
  it('names the country and the prefix it matched', () => {
    expect(book.find(call('14155550100'))).toMatchObject({ countryIso: 'US', prefix: '1415555' });
  });
});

describe('the price of a call to a SIP endpoint', () => {
  const book = new PriceBook(
    [row({ rate_micros: 10_000n }), row({ country_iso: 'ZZ', number_type: 'ip', rate_micros: 3_000n })],
    'USD',
  );
  it("is the ZZ row of number type ip, for a SIP address or an endpoint's username", () => {
    expect(rateOf(book, call('sip:alice123@sip.example.com', { numberType: 'ip' }))).toBe(3_000n);
    expect(rateOf(book, call('alice123', { numberType: 'ip' }))).toBe(3_000n);
    expect(book.find(call('alice123', { numberType: 'ip' }))).toMatchObject({ countryIso: 'ZZ' });
  });
  it('is not found without number type ip, and a number of type ip keeps its country', () => {
    expect(book.find(call('alice123'))).toBeUndefined();
    expect(rateOf(book, call('14155550100', { numberType: 'ip' }))).toBe(10_000n);
  });
});

describe('the country of a number', () => {
  it('tells countries sharing a calling code apart', () => {
    expect(countryOfNumber('14155550100')).toBe('US');
    expect(countryOfNumber('16135550100')).toBe('CA');
    expect(countryOfNumber('447700900123')).toBe('GB');
  });
  it('knows no country for digits that are not a number', () => {
    expect(countryOfNumber('0123456789')).toBeUndefined();
    expect(countryOfNumber('12')).toBeUndefined();
    expect(countryOfNumber('+14155550100')).toBeUndefined();
  });
});
