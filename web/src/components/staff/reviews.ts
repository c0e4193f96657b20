export type { AccountUnderReview } from '@server/modules/staff/schemas';

export const reviewsKey = ['staff', 'reviews'] as const;
