/** An account held for activation review, with its owner and business details. */
export interface AccountUnderReview {
  id: string;
  authId: string;
  name: string;
  reviewReason: string | null;
  companyName: string | null;
  website: string | null;
  country: string | null;
  intendedUse: string | null;
  signupIp: string | null;
  createdAt: string;
  ownerEmail: string;
  ownerName: string;
}

export const reviewsKey = ['staff', 'reviews'] as const;
