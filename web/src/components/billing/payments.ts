import type {
  AutoRechargeView,
  PaymentSettings,
  Payments,
  PaymentView,
} from '@server/modules/billing/payment-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { balanceKey } from './billing';

export type { AutoRechargeView, PaymentSettings, PaymentView };

const settingsKey = ['billing', 'payment-settings'] as const;
const paymentsKey = ['billing', 'payments'] as const;
const autoRechargeKey = ['billing', 'auto-recharge'] as const;

/** Micro-units as a person types an amount: "50", "12.5". */
export const unitsInput = (micros: string) => {
  const value = BigInt(micros);
  const whole = value / 1_000_000n;
  const fraction = (value % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole.toString();
};

/** Billing > Payment Settings: the gateway and saved cards, adding and removing a card. */
export function usePaymentSettings() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: settingsKey,
    queryFn: () => api.get<PaymentSettings>('/api/billing/payment-settings'),
  });
  const refresh = () => client.invalidateQueries({ queryKey: settingsKey });
  const remove = useMutation({
    mutationFn: (methodId: string) => api.delete<void>(`/api/billing/payment-methods/${methodId}`),
    onSuccess: refresh,
  });
  return { settings, refresh, remove };
}

/** Adds a card through the test gateway's own endpoint: the card number never goes to /api. */
export async function addTestCard(card: { number: string; expMonth: number; expYear: number; cvc: string }) {
  const setup = await api.post<{ gateway: 'test'; customerRef: string }>(
    '/api/billing/payment-methods/setup',
  );
  const answer = await fetch('/test-gateway/cards', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer: setup.customerRef, ...card }),
  });
  const body = (await answer.json()) as { card?: string; message?: string };
  if (!answer.ok || !body.card) throw new Error(body.message ?? 'The test gateway refused the card.');
  return api.post('/api/billing/payment-methods', { proof: body.card });
}

export const creditStateKey = ['credit'] as const;

/** Recharge now and the payments made. */
export function usePayments() {
  const client = useQueryClient();
  const payments = useQuery({
    queryKey: paymentsKey,
    queryFn: () => api.get<Payments>('/api/billing/payments'),
  });
  const recharge = useMutation({
    mutationFn: (input: { amount: string; paymentMethodId: string; requestKey: string }) =>
      api.post<PaymentView>('/api/billing/recharges', input),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: paymentsKey });
      client.invalidateQueries({ queryKey: balanceKey });
      client.invalidateQueries({ queryKey: creditStateKey });
    },
  });
  return { payments, recharge };
}

/** Auto-recharge's settings and saving them. */
export function useAutoRecharge() {
  const client = useQueryClient();
  const settings = useQuery({
    queryKey: autoRechargeKey,
    queryFn: () => api.get<AutoRechargeView>('/api/billing/auto-recharge'),
  });
  const save = useMutation({
    mutationFn: (input: {
      enabled: boolean;
      threshold: string;
      mode: 'fixed' | 'target';
      amount: string;
      dailyCap: string;
      monthlyCap: string;
      paymentMethodId: string | null;
    }) => api.put<AutoRechargeView>('/api/billing/auto-recharge', input),
    onSuccess: (answer) => {
      client.setQueryData(autoRechargeKey, answer);
      client.invalidateQueries({ queryKey: paymentsKey });
    },
  });
  return { settings, save };
}
