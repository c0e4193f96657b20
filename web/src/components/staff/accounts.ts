export type { AccountMatch, RateLimit } from '@server/modules/staff/schemas';

export const rateClasses = ['standard', 'lookup', 'message'] as const;
export type RateClass = (typeof rateClasses)[number];

export const rateClassLabels: Record<RateClass, string> = {
  standard: 'Standard API',
  lookup: 'Lookup API',
  message: 'Message API',
};

export const rateLimitsKey = (accountId: string) => ['staff', 'rate-limits', accountId] as const;
