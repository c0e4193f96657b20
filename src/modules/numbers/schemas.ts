import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { AccountParams, ListQuery } from '../../http/plivo-schemas.js';

/** Money as Plivo renders it: a string with 5 decimals. */
const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.80000"' });
const Digits = Type.String({ maxLength: 20, description: 'E.164 digits, with or without +' });

export const NumberParams = Type.Composite([AccountParams, Type.Object({ number: Digits })]);

/** Search available numbers (GET /v1/…/PhoneNumber/). */
export const SearchQuery = Type.Composite([
  ListQuery,
  Type.Object({
    country_iso: Type.Optional(
      Type.String({ maxLength: 2, description: 'required: two-letter country code' }),
    ),
    type: Type.Optional(
      Type.String({ maxLength: 20, description: 'local, tollfree, mobile, national, fixed or any' }),
    ),
    pattern: Type.Optional(
      Type.String({
        maxLength: 15,
        description: 'digits after the country code; * or ? match any one digit',
      }),
    ),
    region: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.Optional(Type.String({ maxLength: 200 })),
    rate_center: Type.Optional(Type.String({ maxLength: 200 })),
    services: Type.Optional(Type.String({ maxLength: 20, description: 'voice, sms, mms, comma separated' })),
  }),
]);

/** Filters of the rented numbers' list (GET /v1/…/Number/). */
export const NumberFilter = Type.Composite([
  ListQuery,
  Type.Object({
    type: Type.Optional(Type.String({ maxLength: 20 })),
    number_startswith: Type.Optional(Type.String({ maxLength: 15 })),
    subaccount: Type.Optional(Type.String({ maxLength: 40 })),
    alias: Type.Optional(Type.String({ maxLength: 200 })),
    services: Type.Optional(Type.String({ maxLength: 20 })),
    renewal_date: Type.Optional(Type.String({ maxLength: 10, description: 'YYYY-MM-DD' })),
    renewal_date__lt: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__lte: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__gt: Type.Optional(Type.String({ maxLength: 10 })),
    renewal_date__gte: Type.Optional(Type.String({ maxLength: 10 })),
  }),
]);

export const RentBody = Type.Object({
  app_id: Type.Optional(Type.String({ maxLength: 40, description: 'an application to link the number to' })),
});

export const NumberUpdate = Type.Object({
  alias: Type.Optional(Type.String({ maxLength: 200 })),
  app_id: Type.Optional(
    Type.String({ maxLength: 40, description: 'an application in your scope; "" unlinks' }),
  ),
  subaccount: Type.Optional(
    Type.String({
      maxLength: 40,
      description: 'an SA Auth ID of this account to move the number to; the main Auth ID moves it back',
    }),
  ),
});

/** A number the inventory offers, in Plivo's PhoneNumber fields. */
export const AvailableNumber = Type.Object({
  city: Nullable(Type.String()),
  country: Type.String(),
  country_iso: Type.String(),
  mms_enabled: Type.Boolean(),
  mms_rate: Money,
  monthly_rental_rate: Money,
  number: Type.String(),
  rate_center: Nullable(Type.String()),
  region: Type.String(),
  resource_uri: Type.String(),
  restriction: Type.Null(),
  restriction_text: Type.Null(),
  setup_rate: Money,
  sms_enabled: Type.Boolean(),
  sms_rate: Money,
  type: Type.String({ description: 'local, tollfree or mobile' }),
  voice_enabled: Type.Boolean(),
  voice_rate: Money,
});
export type AvailableNumber = Static<typeof AvailableNumber>;

/** A rented number, in Plivo's Number fields. */
export const RentedNumber = Type.Object({
  active: Type.Boolean(),
  added_on: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  alias: Nullable(Type.String()),
  application: Nullable(
    Type.String({ description: 'the linked application’s URI (…/Application/{app_id}/)' }),
  ),
  city: Nullable(Type.String()),
  country: Type.String(),
  mms_enabled: Type.Boolean(),
  mms_rate: Money,
  monthly_rental_rate: Money,
  number: Type.String(),
  number_type: Type.String(),
  region: Type.String(),
  renewal_date: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  resource_uri: Type.String(),
  sms_enabled: Type.Boolean(),
  sms_rate: Money,
  sub_account: Nullable(Type.String({ description: 'the SA Auth ID holding it; null for the main account' })),
  voice_enabled: Type.Boolean(),
  voice_rate: Money,
});
export type RentedNumber = Static<typeof RentedNumber>;

/** What renting answers (Plivo's Buy Number). */
export const Rented = Type.Object({
  api_id: Type.String(),
  message: Type.String(),
  numbers: Type.Array(Type.Object({ number: Type.String(), status: Type.String() })),
  status: Type.String(),
});

/** The console's search (Phone Numbers > Buy). */
export const ConsoleSearchQuery = Type.Object({
  country_iso: Type.String({ maxLength: 2 }),
  type: Type.Optional(Type.String({ maxLength: 20 })),
  pattern: Type.Optional(Type.String({ maxLength: 15 })),
  region: Type.Optional(Type.String({ maxLength: 100 })),
  services: Type.Optional(Type.String({ maxLength: 20 })),
});
export type ConsoleSearchQuery = Static<typeof ConsoleSearchQuery>;

export const ConsoleNumberParams = Type.Object({ number: Digits });

export const AvailableNumbers = Type.Object({ numbers: Type.Array(AvailableNumber), total: Type.Integer() });
export type AvailableNumbers = Static<typeof AvailableNumbers>;

export const RentedNumbers = Type.Object({ numbers: Type.Array(RentedNumber), total: Type.Integer() });
export type RentedNumbers = Static<typeof RentedNumbers>;

export const ConsoleRent = Type.Object({
  subaccount: Type.Optional(Type.String({ maxLength: 40 })),
  appId: Type.Optional(Type.String({ maxLength: 40 })),
});
export type ConsoleRent = Static<typeof ConsoleRent>;

export const ConsoleRented = Type.Object({ number: Type.String() });

export const ConsoleNumberChange = Type.Object({
  alias: Type.Optional(Type.String({ maxLength: 200 })),
  appId: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  subaccount: Type.Optional(
    Type.String({ maxLength: 40, description: 'an SA Auth ID, or the main Auth ID' }),
  ),
});
export type ConsoleNumberChange = Static<typeof ConsoleNumberChange>;

/** Staff load the inventory from the CSV `switchboard numbers load` reads. */
export const InventoryLoad = Type.Object({
  csv: Type.String({
    maxLength: 1_000_000,
    description: 'The inventory CSV the CLI loads: a header line, then one number per line (see README)',
  }),
});
export const InventoryLoaded = Type.Object({ loaded: Type.Integer() });

/** Staff > Number inventory: the filters of the whole inventory. */
export const InventoryQuery = Type.Object({
  country: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$', description: 'two-letter country code' })),
  type: Type.Optional(Type.Union([Type.Literal('local'), Type.Literal('tollfree'), Type.Literal('mobile')])),
  state: Type.Optional(
    Type.Union([Type.Literal('rented'), Type.Literal('unrented'), Type.Literal('all')], { default: 'all' }),
  ),
  q: Type.Optional(
    Type.String({
      maxLength: 100,
      description:
        'digits of a number, or the renting account: part of its name, or its (or a subaccount’s) Auth ID',
    }),
  ),
  order: Type.Optional(
    Type.Union([Type.Literal('newest'), Type.Literal('number')], {
      default: 'newest',
      description: 'newest: last loaded first; number: by number',
    }),
  ),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
  offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
});
export type InventoryQuery = Static<typeof InventoryQuery>;

/** A number of the inventory as staff see it, with the account renting it. */
export const InventoryNumber = Type.Object({
  number: Type.String(),
  countryIso: Type.String(),
  type: Type.String(),
  region: Type.String(),
  city: Nullable(Type.String()),
  voice: Type.Boolean(),
  sms: Type.Boolean(),
  mms: Type.Boolean(),
  monthlyRental: Money,
  loadedAt: Timestamp(),
  rentedSince: Nullable(Type.String({ description: 'YYYY-MM-DD' })),
  account: Nullable(
    Type.Object({ id: Type.String({ format: 'uuid' }), authId: Type.String(), name: Type.String() }),
  ),
  subaccount: Nullable(Type.String({ description: 'the SA Auth ID holding it; null for the main account' })),
});

export const Inventory = Type.Object({ numbers: Type.Array(InventoryNumber), total: Type.Integer() });
export type Inventory = Wire<Static<typeof Inventory>>;
