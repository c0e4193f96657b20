import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { Timestamp, type Wire } from '../../http/console-schemas.js';
import { AccountParams } from '../../http/plivo-schemas.js';

/**
 * Price decks (staff) and pricing (the Pricing API and the console's Voice > Pricing and Messaging >
 * Pricing). Like every schemas file this imports only TypeBox, so the console imports its types.
 */

/** Money as Plivo renders it: a string with 5 decimals. */
const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.01200"' });

/** Staff load a deck from the CSV `switchboard prices load` reads. */
export const PriceDeckLoad = Type.Object({
  csv: Type.String({
    maxLength: 1_000_000,
    description: 'The price deck CSV the CLI loads: a header line, then one price per line (see README)',
  }),
});
export type PriceDeckLoad = Static<typeof PriceDeckLoad>;

export const PriceDeckLoaded = Type.Object({ deckId: Type.String(), loaded: Type.Integer() });
export type PriceDeckLoaded = Static<typeof PriceDeckLoaded>;

const PriceDeck = Type.Object({
  id: Type.String(),
  loadedAt: Timestamp(),
  loadedBy: Type.String({ description: 'the staff member’s email, or "cli"' }),
  rowCount: Type.Integer(),
  firstEffectiveFrom: Nullable(Timestamp()),
  lastEffectiveFrom: Nullable(Timestamp()),
});
/** GET /api/staff/prices: the decks loaded, newest first. */
export const PriceDecks = Type.Object({ decks: Type.Array(PriceDeck) });
export type PriceDecks = Wire<Static<typeof PriceDecks>>;

const Rate = Type.Object({ rate: Nullable(Money) });

/** One priced destination: Plivo's {prefix[], rate}, with what Switchboard also bills by. */
const DestinationRate = Type.Object({
  prefix: Type.Array(Type.String(), {
    description: 'the destination digits; the country calling code alone is the country default',
  }),
  rate: Money,
  number_type: Nullable(Type.String({ description: 'local, tollfree, mobile or ip; null: any type' })),
  connect_fee: Money,
  initial_increment: Type.Integer({ description: 'seconds billed first' }),
  subsequent_increment: Type.Integer({ description: 'seconds billed in after the first increment' }),
});
export type DestinationRate = Static<typeof DestinationRate>;

const ByType = {
  ip: Rate,
  local: Rate,
  tollfree: Rate,
  mobile: Rate,
};

const Network = Type.Object({
  group_name: Type.String(),
  rate: Money,
  prefix: Type.Array(Type.String()),
  number_type: Nullable(Type.String()),
});

/** Per segment, inbound and outbound, and each priced destination (Plivo's outbound_networks_list). */
const MessagePricing = Type.Object({
  inbound: Rate,
  outbound: Rate,
  outbound_networks_list: Type.Array(Network),
});

/** A country's prices as Plivo's Pricing API answers them (GET /v1/Account/{auth_id}/Pricing/). */
export const Pricing = Type.Object({
  country: Type.String(),
  country_code: Type.Integer(),
  country_iso: Type.String(),
  message: MessagePricing,
  mms: MessagePricing,
  phone_numbers: Type.Object(
    {
      local: Type.Optional(Rate),
      tollfree: Type.Optional(Rate),
      mobile: Type.Optional(Rate),
    },
    { description: 'the lowest monthly rental of the numbers available to rent, by type' },
  ),
  voice: Type.Object({
    inbound: Type.Object({ ...ByType, rates: Type.Array(DestinationRate) }),
    outbound: Type.Object({ ...ByType, rates: Type.Array(DestinationRate) }),
  }),
});
export type Pricing = Static<typeof Pricing>;

export const PricingAnswer = Type.Composite([Type.Object({ api_id: Type.String() }), Pricing]);

export const PricingParams = AccountParams;

/** ?country_iso=US: required, checked by the service so that its refusal says what to fix. */
export const PricingQuery = Type.Object({
  country_iso: Type.Optional(
    Type.String({ maxLength: 20, description: 'required: two-letter country code' }),
  ),
});
export type PricingQuery = Static<typeof PricingQuery>;
