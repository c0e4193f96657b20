/** The error codes of the Usage Summary (page, API, export): the one place they are spelled. */
export const UsageErrors = {
  invalidDate: 'invalid_date',
  invalidDateRange: 'invalid_date_range',
  invalidProduct: 'invalid_product',
  unknownSubaccount: 'unknown_subaccount',
} as const;
