import type { Balance, Transaction, Transactions } from '@server/modules/billing/transactions-schemas';
import { useQuery } from '@tanstack/react-query';
import { displayMoney } from '../../../../src/lib/money';
import { api } from '../../api';

export type { Balance, Transaction, Transactions };

/** Billing > Transactions' filters, as the address and the API name them. */
export interface TransactionFilter {
  kind: string;
  from: string;
  to: string;
  subaccount: string;
}

export const emptyTransactionFilter: TransactionFilter = { kind: '', from: '', to: '', subaccount: '' };

export const kindLabels: Record<Transaction['kind'], string> = {
  trial_credit: 'Trial credit',
  recharge: 'Recharge',
  charge: 'Usage',
  rental: 'Number rental',
  refund: 'Refund',
  adjustment: 'Adjustment',
  reversal: 'Payment reversed',
};

/** The filters as a query string (empty ones left out). */
export function filterQuery(filter: TransactionFilter, extra: Record<string, string> = {}): string {
  const entries = [...Object.entries(filter), ...Object.entries(extra)].filter(
    ([, value]) => value.trim() !== '',
  );
  return new URLSearchParams(entries).toString();
}

/** An amount of micro-units as people read it: the currency's symbol, exact. */
export const moneyText = (micros: string, currency: string) =>
  displayMoney({ micros: BigInt(micros), currency });

export const balanceKey = ['billing', 'balance'] as const;

export function useBalance(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: balanceKey,
    queryFn: () => api.get<Balance>('/api/billing/balance'),
    enabled: options.enabled ?? true,
  });
}

export function useTransactions(filter: TransactionFilter, page: number, pageSize: number) {
  return useQuery({
    queryKey: ['billing', 'transactions', filter, page, pageSize],
    queryFn: () =>
      api.get<Transactions>(
        `/api/billing/transactions?${filterQuery(filter, {
          limit: String(pageSize),
          offset: String((page - 1) * pageSize),
        })}`,
      ),
  });
}
