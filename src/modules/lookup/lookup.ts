import { createRequire } from 'node:module';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { LookupErrors } from './errors.js';

const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries') as { alpha2ToAlpha3(code: string): string | undefined };
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

const numberTypes: Record<string, string> = {
  MOBILE: 'mobile',
  FIXED_LINE: 'fixed',
  FIXED_LINE_OR_MOBILE: 'fixed_or_mobile',
  TOLL_FREE: 'tollfree',
  PREMIUM_RATE: 'premium',
  SHARED_COST: 'shared_cost',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'personal',
  PAGER: 'pager',
  UAN: 'uan',
  VOICEMAIL: 'voicemail',
};

/**
 * Lookup API: country, formats and number type from libphonenumber's metadata. Carrier network
 * data is not in that metadata, so those fields are present and null.
 */
export function lookUpNumber(input: string) {
  const raw = input.trim();
  const parsed = parsePhoneNumberFromString(raw.startsWith('+') ? raw : `+${raw}`);
  if (!parsed?.isValid()) {
    throw LookupErrors.invalidNumber(input);
  }
  const iso2 = parsed.country ?? null;
  return {
    phone_number: parsed.number,
    country: {
      name: iso2 ? (regionNames.of(iso2) ?? null) : null,
      iso2,
      iso3: iso2 ? (countries.alpha2ToAlpha3(iso2) ?? null) : null,
    },
    format: {
      e164: parsed.number,
      national: parsed.formatNational(),
      international: parsed.formatInternational(),
      rfc3966: parsed.getURI(),
    },
    carrier: {
      mobile_country_code: null,
      mobile_network_code: null,
      name: null,
      type: numberTypes[parsed.getType() ?? ''] ?? null,
      ported: null,
    },
    resource_uri: `/v1/Number/${parsed.number}?type=carrier`,
  };
}
