import { randomInt } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** US toll-free area codes. */
const TOLL_FREE = ['800', '833', '844', '855', '866', '877', '888'];

/** Whether every number under the prefix (1 + prefix + four digits) is a US number of the inventory type. */
function fits(prefix: string, type: 'local' | 'tollfree') {
  return ['0000', '9999'].every((line) => {
    const parsed = parsePhoneNumberFromString(`+1${prefix}${line}`);
    if (!parsed?.isValid() || parsed.country !== 'US') return false;
    return type === 'tollfree'
      ? parsed.getType() === 'TOLL_FREE'
      : parsed.getType() === 'FIXED_LINE_OR_MOBILE';
  });
}

/** The prefixes this process handed out: files sharing a worker (and its database) never get the same one twice. */
const usedPrefixes = new Set<string>();

/**
 * Six digits (area code and exchange) under which every US number is real to the inventory's
 * checks (libphonenumber) and of the type asked: random, so tests sharing a database do not collide.
 * A local prefix may be stocked as local or mobile (US ranges serve both).
 */
export function freshUsPrefix(type: 'local' | 'tollfree' = 'local'): string {
  for (;;) {
    const areaCode =
      type === 'tollfree' ? (TOLL_FREE[randomInt(TOLL_FREE.length)] as string) : String(randomInt(200, 1000));
    const prefix = `${areaCode}${randomInt(200, 1000)}`;
    if (!usedPrefixes.has(prefix) && fits(prefix, type)) {
      usedPrefixes.add(prefix);
      return prefix;
    }
  }
}

/** One US number (E.164 digits, no +) the inventory accepts as the type asked. */
export function freshUsNumber(type: 'local' | 'tollfree' = 'local'): string {
  return `1${freshUsPrefix(type)}${randomInt(1000, 10_000)}`;
}
