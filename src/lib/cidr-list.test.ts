import { describe, expect, it } from 'vitest';
import { CidrList, canonicalCidr } from './cidr-list.js';

describe('CIDR lists', () => {
  it('matches IPv4 and IPv6 ranges, and IPv4-mapped IPv6 socket addresses as IPv4', () => {
    const list = CidrList.fromText('192.0.2.0/24\n1.1.1.1/32\n2001:db8::/32 # office', 'test');
    expect(list.contains('192.0.2.200')).toBe(true);
    expect(list.contains('::ffff:192.0.2.9')).toBe(true);
    expect(list.contains('1.1.1.2')).toBe(false);
    expect(list.contains('2001:db8:abcd::1')).toBe(true);
    expect(list.contains('2001:db9::1')).toBe(false);
    expect(list.contains('not an address')).toBe(false);
  });
  it('names the line of a bad entry', () => {
    expect(() => CidrList.fromText('10.0.0.0/8\n300.1.1.1/32', 'vpn.txt')).toThrow('vpn.txt line 2');
  });
  it('writes CIDRs in canonical network form', () => {
    expect(canonicalCidr('192.0.2.7/24')).toBe('192.0.2.0/24');
    expect(canonicalCidr('1.1.1.1')).toBe('1.1.1.1/32');
    expect(canonicalCidr('2001:DB8:1::5/32')).toBe('2001:db8::/32');
    expect(() => canonicalCidr('192.0.2.0/33')).toThrow(/not a valid CIDR/);
  });
});
