/** The error codes of suspicious activity: the one place they are spelled, for the service and its tests. */
export const SuspiciousActivityErrors = {
  flagNotFound: 'suspicious_activity_flag_not_found',
  flagResolved: 'suspicious_activity_flag_resolved',
  noteRequired: 'note_required',
} as const;
