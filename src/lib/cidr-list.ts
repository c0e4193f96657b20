import { existsSync, readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** Parses one CIDR ("192.0.2.0/24", "2001:db8::/32") or single address; throws with a readable reason. */
export function parseCidr(text: string): Range {
  const value = text.trim();
  if (value.includes('/')) {
    if (!ipaddr.isValidCIDR(value))
      throw new Error(`"${value}" is not a valid CIDR address such as 192.0.2.0/24`);
    return ipaddr.parseCIDR(value);
  }
  if (!ipaddr.isValid(value)) throw new Error(`"${value}" is not a valid IP address`);
  const address = ipaddr.parse(value);
  return [address, address.kind() === 'ipv4' ? 32 : 128];
}

/** A CIDR in its canonical network form: "192.0.2.7/24" is "192.0.2.0/24", "2001:DB8::/32" is "2001:db8::/32". */
export function canonicalCidr(text: string): string {
  const [address, bits] = parseCidr(text);
  const family = address.kind() === 'ipv4' ? ipaddr.IPv4 : ipaddr.IPv6;
  return `${family.networkAddressFromCIDR(`${address.toString()}/${bits}`).toString()}/${bits}`;
}

/** Normalises IPv4-mapped IPv6 (::ffff:1.2.3.4) to IPv4 so one list serves both socket families. */
export function parseAddress(ip: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (!ipaddr.isValid(ip)) return null;
  return ipaddr.process(ip);
}

const parsedAddresses = new Map<string, ipaddr.IPv4 | ipaddr.IPv6 | null>();

/** parseAddress with a small memo: the API gate checks the same few client addresses over and over. */
function parsedAddress(ip: string) {
  let address = parsedAddresses.get(ip);
  if (address === undefined) {
    address = parseAddress(ip);
    if (parsedAddresses.size > 10_000) parsedAddresses.clear();
    parsedAddresses.set(ip, address);
  }
  return address;
}

export class CidrList {
  constructor(readonly ranges: Range[]) {}

  static fromText(text: string, source: string): CidrList {
    const ranges: Range[] = [];
    text.split(/\r?\n/).forEach((line, index) => {
      const entry = line.replace(/#.*/, '').trim();
      if (!entry) return;
      try {
        ranges.push(parseCidr(entry));
      } catch (error) {
        throw new Error(`${source} line ${index + 1}: ${(error as Error).message}`);
      }
    });
    return new CidrList(ranges);
  }

  /** A missing file is an empty list: the operator has not supplied one. */
  static fromFile(file: string): CidrList {
    return existsSync(file) ? CidrList.fromText(readFileSync(file, 'utf8'), file) : new CidrList([]);
  }

  contains(ip: string): boolean {
    const address = parsedAddress(ip);
    if (!address) return false;
    return this.ranges.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));
  }
}
