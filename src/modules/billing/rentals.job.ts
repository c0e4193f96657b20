import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { Rentals } from './rentals.js';

/**
 * Number rentals renew on their renewal date: hourly, once per hour across instances (the
 * schedule), and once per number and period whatever runs it (the number's row lock and the
 * rental's ledger key). A day's renewals happen in its first hour (UTC).
 */
export function renewRentalsJob(rentals: Pick<Rentals, 'renewDue'>) {
  return defineJob({
    name: 'billing.rentals.renew',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: async () => {
      await rentals.renewDue();
    },
  });
}
