/** The error codes of accounts: the one place they are spelled, for the services and their tests. */
export const AccountErrors = {
  notFound: 'account_not_found',
  invalidName: 'invalid_name',
  invalidTimezone: 'invalid_timezone',
  workEmailRequired: 'work_email_required',
  invalidBusinessProfile: 'invalid_business_profile',
  profileAlreadySubmitted: 'profile_already_submitted',
  noteRequired: 'note_required',
  notUnderReview: 'not_under_review',
  illegalStatusTransition: 'illegal_status_transition',
  suspensionDetailsRequired: 'suspension_details_required',
  reinstatementMessageRequired: 'reinstatement_message_required',
  notSuspended: 'not_suspended',
  closureBlocked: 'closure_blocked',
} as const;
