/** The error codes of price decks and the Pricing API: the one place they are spelled, for the services and their tests. */
export const PriceErrors = {
  invalidDeck: 'invalid_price_deck',
  countryIsoRequired: 'country_iso_required',
  invalidCountryIso: 'invalid_country_iso',
  noPricing: 'pricing_not_found',
} as const;
