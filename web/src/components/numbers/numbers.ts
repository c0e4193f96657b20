import { useQuery } from '@tanstack/react-query';
import type {
  AvailableNumbers,
  ConsoleSearchQuery,
  RentedNumbers,
} from '../../../../src/modules/numbers/schemas';
import { api } from '../../api';

export type { AvailableNumber, RentedNumber } from '../../../../src/modules/numbers/schemas';

/** The Buy dialog's search: the query GET /api/numbers/available takes, every field present. */
export type NumberSearch = Required<Pick<ConsoleSearchQuery, 'country_iso' | 'type' | 'pattern'>>;

export const numbersKey = ['numbers'] as const;

export function useNumbers(options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: numbersKey,
    queryFn: () => api.get<RentedNumbers>('/api/numbers'),
    enabled: options.enabled ?? true,
  });
}

export function searchNumbers(search: NumberSearch) {
  const query = new URLSearchParams({ country_iso: search.country_iso });
  if (search.type) query.set('type', search.type);
  if (search.pattern.trim()) query.set('pattern', search.pattern.trim());
  return api.get<AvailableNumbers>(`/api/numbers/available?${query}`);
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
