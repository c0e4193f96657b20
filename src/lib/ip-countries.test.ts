import { describe, expect, it } from 'vitest';
import { IpCountries } from './ip-countries.js';

const feed = IpCountries.fromText(
  [
    '# prefix,country,region,city,postal (RFC 8805)',
    '81.2.69.0/24,GB,GB-ENG,London,',
    '81.2.0.0/16,DE',
    '2001:db8:1::/48,fr',
    '',
  ].join('\n'),
  'feed.csv',
);

describe('IP address to country (an operator geofeed)', () => {
  it('answers the country of the longest prefix holding the address', () => {
    expect(feed.countryOf('81.2.69.160')).toBe('GB');
    expect(feed.countryOf('81.2.1.1')).toBe('DE');
    expect(feed.countryOf('2001:db8:1::7')).toBe('FR');
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address', () => {
    expect(feed.countryOf('::ffff:81.2.69.1')).toBe('GB');
  });

  it('answers null for an address the feed does not cover, or text that is no address', () => {
    expect(feed.countryOf('192.0.2.1')).toBeNull();
    expect(feed.countryOf('not an address')).toBeNull();
  });

  it('names the line of a bad entry', () => {
    expect(() => IpCountries.fromText('81.2.69.0/24,GB\n81.2.70.0/33,GB', 'feed.csv')).toThrow(/line 2/);
    expect(() => IpCountries.fromText('81.2.69.0/24,Britain', 'feed.csv')).toThrow(/two-letter/);
  });

  it('treats a missing file as an empty feed', () => {
    expect(IpCountries.fromFile('/nonexistent/feed.csv').countryOf('81.2.69.1')).toBeNull();
  });
});
