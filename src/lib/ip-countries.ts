import { existsSync, readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { parseAddress, parseCidr } from './cidr-list.js';

/**
 * Which country an IP address is in, from a geofeed the operator supplies (RFC 8805:
 * `prefix,country[,region,city,postal]` per line, '#' starts a comment), by the longest prefix
 * that holds the address. An address the feed does not cover has no country.
 */
export class IpCountries {
  /** Per family, per prefix length (longest first): network address → country. */
  private readonly byLength: Record<'ipv4' | 'ipv6', { bits: number; networks: Map<string, string> }[]>;

  constructor(entries: readonly { prefix: string; country: string }[]) {
    const tables = {
      ipv4: new Map<number, Map<string, string>>(),
      ipv6: new Map<number, Map<string, string>>(),
    };
    for (const entry of entries) {
      const [address, bits] = parseCidr(entry.prefix);
      const kind = address.kind();
      const networks = tables[kind].get(bits) ?? new Map<string, string>();
      networks.set(networkOf(address, bits), entry.country);
      tables[kind].set(bits, networks);
    }
    const ordered = (table: Map<number, Map<string, string>>) =>
      [...table].sort(([a], [b]) => b - a).map(([bits, networks]) => ({ bits, networks }));
    this.byLength = { ipv4: ordered(tables.ipv4), ipv6: ordered(tables.ipv6) };
  }

  static fromText(text: string, source: string): IpCountries {
    const entries: { prefix: string; country: string }[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      const entry = line.replace(/#.*/, '').trim();
      if (!entry) return;
      const [prefix = '', country = ''] = entry.split(',').map((field) => field.trim());
      try {
        parseCidr(prefix);
      } catch (error) {
        throw new Error(`${source} line ${index + 1}: ${(error as Error).message}`);
      }
      if (!/^[A-Za-z]{2}$/.test(country))
        throw new Error(`${source} line ${index + 1}: "${country}" is not a two-letter country code`);
      entries.push({ prefix, country: country.toUpperCase() });
    });
    return new IpCountries(entries);
  }

  /** A missing file is an empty feed: the operator has not supplied one, and no address has a country. */
  static fromFile(file: string): IpCountries {
    return existsSync(file) ? IpCountries.fromText(readFileSync(file, 'utf8'), file) : new IpCountries([]);
  }

  /** The two-letter country of the address, or null when the feed does not cover it (or it is not an address). */
  countryOf(ip: string): string | null {
    const address = parseAddress(ip);
    if (!address) return null;
    for (const { bits, networks } of this.byLength[address.kind()]) {
      const country = networks.get(networkOf(address, bits));
      if (country) return country;
    }
    return null;
  }
}

function networkOf(address: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  const family = address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return family.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString();
}
