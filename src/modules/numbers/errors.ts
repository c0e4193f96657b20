/** The error codes of phone numbers: the one place they are spelled, for the service and its tests. */
export const NumberErrors = {
  notFound: 'number_not_found',
  notAvailable: 'number_not_available',
  accountNotActive: 'account_not_active',
  countryIsoRequired: 'country_iso_required',
  invalidCountryIso: 'invalid_country_iso',
  invalidPattern: 'invalid_pattern',
  invalidType: 'invalid_type',
  invalidServices: 'invalid_services',
  invalidRenewalDate: 'invalid_renewal_date',
  invalidNumberStartsWith: 'invalid_number_startswith',
  invalidAlias: 'invalid_alias',
  invalidSubaccount: 'invalid_subaccount',
  subaccountCannotMoveNumbers: 'subaccount_cannot_move_numbers',
  invalidInventory: 'invalid_inventory',
  numberRented: 'number_rented',
} as const;
