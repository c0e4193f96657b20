export type { Inventory } from '@server/modules/numbers/schemas';

export const inventoryKey = ['staff', 'inventory'] as const;

/** A rental as the API renders it ("0.80000"), without the trailing zeros past the cents ("0.80"). */
export const rentalText = (amount: string) => amount.replace(/(\.\d\d\d*?)0+$/, '$1');
