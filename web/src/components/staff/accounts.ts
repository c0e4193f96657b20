/** An account found by the staff search (Auth ID, name or owner email). */
export interface AccountMatch {
  id: string;
  authId: string;
  name: string;
  status: string;
  ownerEmail: string;
  createdAt: string;
}

export const rateClasses = ['standard', 'lookup', 'message'] as const;
export type RateClass = (typeof rateClasses)[number];

export const rateClassLabels: Record<RateClass, string> = {
  standard: 'Standard API',
  lookup: 'Lookup API',
  message: 'Message API',
};

/** An account's limit for one class of API requests; isDefault when it follows the operator's default. */
export interface RateLimit {
  requestsPerSecond: number;
  isDefault: boolean;
}

export type RateLimits = Record<RateClass, RateLimit>;

export const rateLimitsKey = (accountId: string) => ['staff', 'rate-limits', accountId] as const;
