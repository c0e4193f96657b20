/** The error codes of applications: the one place they are spelled, for the service and its tests. */
export const ApplicationErrors = {
  notFound: 'application_not_found',
  invalidAppName: 'invalid_app_name',
  invalidUrl: 'invalid_url',
  invalidMethod: 'invalid_method',
  invalidSubaccount: 'invalid_subaccount',
} as const;
