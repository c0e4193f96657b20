import { describe, expect, it } from 'vitest';
import { parseIsoTime, readPriceDeckCsv } from './price-deck-file.js';

const now = new Date('2027-03-01T12:00:00Z');
const HEADER =
  'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment,effective_from';
const deck = (...lines: string[]) => readPriceDeckCsv([HEADER, ...lines].join('\n'), now);

describe('reading a price deck', () => {
  it('reads every column, with defaults for what a line leaves empty', () => {
    const { prices, problems } = deck(
      'US,voice,outbound,,,0.012,,,,',
      'US,voice,outbound,mobile,+1415,0.0085,0.001,30,6,2027-04-01T00:00:00Z',
      'gb,SMS,Inbound,,,0,,,,2027-04-01',
    );
    expect(problems).toEqual([]);
    expect(prices).toEqual([
      {
        line: 2,
        countryIso: 'US',
        product: 'voice',
        direction: 'outbound',
        numberType: '',
        prefix: '',
        rateMicros: 12_000n,
        connectFeeMicros: 0n,
        initialIncrement: 60,
        subsequentIncrement: 60,
        effectiveFrom: now,
      },
      {
        line: 3,
        countryIso: 'US',
        product: 'voice',
        direction: 'outbound',
        numberType: 'mobile',
        prefix: '1415',
        rateMicros: 8_500n,
        connectFeeMicros: 1_000n,
        initialIncrement: 30,
        subsequentIncrement: 6,
        effectiveFrom: new Date('2027-04-01T00:00:00Z'),
      },
      expect.objectContaining({
        line: 4,
        countryIso: 'GB',
        product: 'sms',
        direction: 'inbound',
        rateMicros: 0n,
        effectiveFrom: new Date('2027-04-01T00:00:00Z'),
      }),
    ]);
  });

  it('takes the columns in any order and leaves optional ones out', () => {
    const { prices, problems } = readPriceDeckCsv(
      'rate,direction,product,country_iso\n0.0065,outbound,sms,US\n',
      now,
    );
    expect(problems).toEqual([]);
    expect(prices[0]).toMatchObject({
      countryIso: 'US',
      product: 'sms',
      numberType: '',
      prefix: '',
      rateMicros: 6_500n,
    });
  });

  it('names every problem with its line, and answers no prices when any line is wrong', () => {
    const { prices, problems } = deck(
      'US,voice,outbound,,,0.012,,,,',
      'XX,fax,sideways,landline,abc,-1,,,,',
      'US,voice,outbound,,,0.01,,0,3601,',
      'US,voice,outbound,,,0.01,,,,2027-02-30',
      'US,voice,outbound,,,0.01,,,,2027-04-01T00:00:00',
      'US,voice,outbound,,,0.01,,,,2027-02-01T00:00:00Z',
      'US,voice,outbound,,1415,0.01',
    );
    expect(prices).toEqual([]);
    expect(problems).toEqual([
      'line 3: country_iso "XX" is not a known country code; product must be voice, sms or mms, not "fax"; direction must be outbound or inbound, not "sideways"; number_type must be local, tollfree, mobile or ip (empty: any type), not "landline"; prefix must be 1 to 15 digits, country code first (such as 1415), not "abc"; rate must be an amount such as 0.01200 (up to 6 decimals), not "-1"',
      'line 4: initial_increment must be whole seconds from 1 to 3600, not "0"; subsequent_increment must be whole seconds from 1 to 3600, not "3601"',
      'line 5: effective_from must be an ISO 8601 time such as 2027-01-01T00:00:00Z (a date alone is midnight UTC), not "2027-02-30"',
      'line 6: effective_from must be an ISO 8601 time such as 2027-01-01T00:00:00Z (a date alone is midnight UTC), not "2027-04-01T00:00:00"',
      'line 7: effective_from 2027-02-01T00:00:00Z is in the past: usage already rated keeps its price; leave it empty to take effect now',
      'line 8: 6 fields, but the header has 10',
    ]);
  });

  it('reads ZZ as the price of calls to SIP endpoints, only for voice of number type ip without a prefix', () => {
    const { prices, problems } = deck('ZZ,voice,outbound,ip,,0.003,,,,');
    expect(problems).toEqual([]);
    expect(prices[0]).toMatchObject({
      countryIso: 'ZZ',
      product: 'voice',
      numberType: 'ip',
      rateMicros: 3_000n,
    });
    expect(deck('ZZ,voice,outbound,,,0.003,,,,').problems).toEqual([
      expect.stringMatching(/ZZ prices calls to SIP endpoints: product voice, number_type ip and no prefix/),
    ]);
    expect(deck('ZZ,voice,outbound,ip,1415,0.003,,,,').problems).toHaveLength(1);
    expect(deck('XX,voice,outbound,ip,,0.003,,,,').problems).toEqual([
      expect.stringMatching(/country_iso "XX" is not a known country code/),
    ]);
  });
  it('refuses a connect fee or increments on messages, and number type ip for them', () => {
    const { problems } = deck('US,sms,outbound,,,0.0065,0.01,1,1,', 'US,mms,inbound,ip,,0.02,,,,');
    expect(problems).toEqual([
      'line 2: connect_fee is for voice: sms is priced per segment; initial_increment is for voice: sms is priced per segment; subsequent_increment is for voice: sms is priced per segment',
      'line 3: number_type ip is for voice (SIP calls), not mms',
    ]);
  });

  it("refuses a prefix outside the row's country: another calling code, or another country's range of a shared one", () => {
    const { problems } = deck(
      'US,voice,outbound,,44,0.01,,,,',
      'US,voice,outbound,,1416,0.01,,,,',
      'US,voice,outbound,,1340,0.01,,,,',
      'GB,voice,outbound,,447781,0.01,,,,',
    );
    expect(problems).toEqual([
      "line 2: prefix 44 does not start with US's country code 1",
      'line 3: prefix 1416 is a CA range, not US: price it in a CA row',
      'line 4: prefix 1340 is a VI range, not US: price it in a VI row',
      'line 5: prefix 447781 is a GG range, not GB: price it in a GG row',
    ]);
  });

  it("accepts the country's own ranges of a shared calling code, and reads the calling code alone as the country default", () => {
    const { prices, problems } = deck(
      'US,voice,outbound,,1808,0.034,,,,',
      'CA,voice,outbound,,1416,0.01,,,,',
      'VI,voice,outbound,,1340,0.024,,,,',
      'GG,voice,outbound,,447781,0.05,,,,',
      'US,voice,outbound,,1,0.012,,,,',
    );
    expect(problems).toEqual([]);
    expect(prices.map((price) => price.prefix)).toEqual(['1808', '1416', '1340', '447781', '']);
  });

  it('refuses the same destination from the same time twice, naming both lines', () => {
    const { problems } = deck(
      'US,voice,outbound,,,0.012,,,,',
      'US,voice,outbound,,1,0.013,,,,',
      'US,voice,outbound,,,0.011,,,,2027-04-01',
      'US,voice,outbound,local,,0.011,,,,',
      'US,voice,inbound,,,0.011,,,,',
    );
    expect(problems).toEqual([
      'line 3: US voice outbound, the country default, from 2027-03-01T12:00:00.000Z is already priced on line 2',
    ]);
  });

  it('explains an empty file, a file without prices, and unknown or missing columns', () => {
    expect(readPriceDeckCsv('', now).problems).toEqual([
      'the file is empty: it needs a header line and one price per line',
    ]);
    expect(readPriceDeckCsv(`${HEADER}\n`, now).problems).toEqual(['the file has a header but no prices']);
    expect(readPriceDeckCsv('country_iso,product,price\nUS,voice,1\n', now).problems).toEqual([
      'line 1: unknown column price (columns: country_iso, product, direction, number_type, prefix, rate, connect_fee, initial_increment, subsequent_increment, effective_from)',
      'line 1: missing column direction, rate',
    ]);
  });
});

describe('effective times', () => {
  it('reads a date as midnight UTC and a time with its zone', () => {
    expect(parseIsoTime('2027-01-01')).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(parseIsoTime('2027-01-01T09:30+01:00')).toEqual(new Date('2027-01-01T08:30:00Z'));
    expect(parseIsoTime('2027-01-01T09:30:15.5Z')).toEqual(new Date('2027-01-01T09:30:15.500Z'));
  });
  it('refuses a time without its zone and dates that do not exist', () => {
    for (const text of ['2027-01-01T09:30', '2027-02-29', '2027-13-01', '2027-01-01T24:00Z', 'tomorrow'])
      expect(parseIsoTime(text), text).toBeNull();
  });
});
