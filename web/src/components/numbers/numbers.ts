import { useQuery } from '@tanstack/react-query';
import { api } from '../../api';

/** A rented number as GET /api/numbers lists it (Plivo's field names). */
export interface RentedNumber {
  number: string;
  alias: string | null;
  /** The linked application's URI (…/Application/{app_id}/), or null. */
  application: string | null;
  /** The SA Auth ID of the subaccount holding it, or null for the main account. */
  sub_account: string | null;
  monthly_rental_rate: string;
  number_type: string;
  region: string | null;
  added_on: string;
  renewal_date: string;
  voice_enabled: boolean;
  sms_enabled: boolean;
  mms_enabled: boolean;
}

/** A number to rent as GET /api/numbers/available lists it. */
export interface AvailableNumber {
  number: string;
  type: string;
  region: string | null;
  city: string | null;
  monthly_rental_rate: string;
  voice_enabled: boolean;
  sms_enabled: boolean;
}

export interface NumberSearch {
  country_iso: string;
  type: string;
  pattern: string;
}

export const numbersKey = ['numbers'] as const;

export function useNumbers(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: numbersKey,
    queryFn: () => api.get<{ numbers: RentedNumber[]; total: number }>('/api/numbers'),
    enabled: options.enabled ?? true,
  });
}

export function searchNumbers(search: NumberSearch) {
  const query = new URLSearchParams({ country_iso: search.country_iso });
  if (search.type) query.set('type', search.type);
  if (search.pattern.trim()) query.set('pattern', search.pattern.trim());
  return api.get<{ numbers: AvailableNumber[]; total: number }>(`/api/numbers/available?${query}`);
}

export const numberPath = (number: string) => `/api/numbers/${encodeURIComponent(number)}`;

/** The App ID at the end of an application URI such as /v1/Account/MA…/Application/123/. */
export const appIdOf = (uri: string | null) => uri?.match(/Application\/([^/]+)\/?$/)?.[1] ?? null;

export const numberTypes = [
  { value: 'local', label: 'Local' },
  { value: 'tollfree', label: 'Toll-free' },
  { value: 'mobile', label: 'Mobile' },
];

/** What releasing a number does, said wherever Release is confirmed. */
export const releaseConsequence =
  'The number stops receiving calls and messages and goes back to the inventory, where anyone may rent it.';
