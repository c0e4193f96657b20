/** The error codes of subaccounts and their sender IDs: the one place they are spelled, for the code and its tests. */
export const SubaccountErrors = {
  notFound: 'subaccount_not_found',
  invalidName: 'invalid_name',
  invalidSubaccount: 'invalid_subaccount',
  inUse: 'subaccount_in_use',
  subaccountCannotManageSubaccounts: 'subaccount_cannot_manage_subaccounts',
  invalidSenderId: 'invalid_sender_id',
  senderIdExists: 'sender_id_exists',
  senderIdNotFound: 'sender_id_not_found',
} as const;
