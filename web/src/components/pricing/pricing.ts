import type { Pricing } from '@server/modules/billing/price-schemas';
import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../api';

export type { Pricing } from '@server/modules/billing/price-schemas';
export type DestinationRate = Pricing['voice']['outbound']['rates'][number];

export const pricingKey = (countryIso: string) => ['pricing', countryIso] as const;

/** A country's prices in force now; null when the operator prices nothing there (404). */
export function usePricing(countryIso: string | null) {
  return useQuery({
    queryKey: pricingKey(countryIso ?? ''),
    enabled: Boolean(countryIso),
    staleTime: 60_000,
    queryFn: async () => {
      try {
        return await api.get<Pricing>(`/api/pricing?country_iso=${encodeURIComponent(countryIso ?? '')}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

const typeNames: Record<string, string> = {
  local: 'Local',
  tollfree: 'Toll-free',
  mobile: 'Mobile',
  ip: 'SIP (IP)',
};

/** A number type as people read it; null is any type. */
export const typeName = (type: string | null) => (type ? (typeNames[type] ?? type) : 'Any');

/** Seconds billed first and then per step, as "60 s / 60 s". */
export const increments = (rate: DestinationRate) =>
  `${rate.initial_increment} s / ${rate.subsequent_increment} s`;
