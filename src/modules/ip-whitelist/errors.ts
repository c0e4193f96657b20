import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';

/** The refusals of Account > Settings > IP Whitelisting. */
export const IpWhitelistErrors = {
  invalidCidr: (reason: string) =>
    ValidationFailed(
      'invalid_cidr',
      `${reason}. Use CIDR form such as 192.0.2.0/24, 1.1.1.1/32 or 2001:db8::/32.`,
      [{ field: 'cidr', message: 'Not a valid CIDR address.' }],
    ),
  cidrExists: (cidr: string) => Conflict('cidr_exists', `${cidr} is already in the list.`),
  cidrNotFound: () => NotFound('cidr_not_found', 'No such entry in the list.'),
  wouldBeEmpty: () =>
    Conflict(
      'whitelist_would_be_empty',
      'This is the last address: turn IP whitelisting off before you remove it.',
    ),
  emptyList: () =>
    Conflict('whitelist_empty', 'Add at least one CIDR address before you enable IP whitelisting.'),
  /** Removing an entry leaves the person's own address outside the list. */
  removalLocksOut: (cidr: string, ip: string) =>
    Conflict(
      'would_lock_out_current_address',
      `Removing ${cidr} leaves your current address ${ip} outside the list, so API requests from it will be refused. Confirm to remove it anyway.`,
    ),
  /** Enabling with a list that leaves out the person's own address. */
  enablingLocksOut: (ip: string) =>
    Conflict(
      'would_lock_out_current_address',
      `Your current address ${ip} is not in the list, so API requests from it will be refused. Add it, or confirm to enable anyway.`,
    ),
} as const;
