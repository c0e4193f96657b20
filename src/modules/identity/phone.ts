import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** A phone number in E.164 (+14155550123) that libphonenumber says is valid, or null. */
export function toE164(input: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim());
  if (!parsed?.isValid()) return null;
  return parsed.number;
}

/** Shows the last digits only: +1 ••• ••• 0123. */
export function maskPhone(e164: string): string {
  return `${e164.slice(0, 2)}••••••${e164.slice(-4)}`;
}
