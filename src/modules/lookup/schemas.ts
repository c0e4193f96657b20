import { type Static, Type } from '@sinclair/typebox';

export const LookupQuery = Type.Object({
  type: Type.Literal('carrier', { description: 'Only "carrier" is offered' }),
});
export const LookupParams = Type.Object({ number: Type.String({ maxLength: 32 }) });

const NullableString = Type.Union([Type.String(), Type.Null()]);

/** The Lookup API's answer; carrier network data is not in libphonenumber's metadata, so it is null. */
export const NumberLookup = Type.Object({
  api_id: Type.String(),
  phone_number: Type.String(),
  country: Type.Object({ name: NullableString, iso2: NullableString, iso3: NullableString }),
  format: Type.Object({
    e164: Type.String(),
    national: Type.String(),
    international: Type.String(),
    rfc3966: Type.String(),
  }),
  carrier: Type.Object({
    mobile_country_code: Type.Null(),
    mobile_network_code: Type.Null(),
    name: Type.Null(),
    type: NullableString,
    ported: Type.Null(),
  }),
  resource_uri: Type.String(),
});
export type NumberLookup = Static<typeof NumberLookup>;
