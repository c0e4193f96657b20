import { Alert } from '@mantine/core';
import { isRoleRefusal } from '../api';

/** A page or card that the member's role may not use: the reason, without alarm. */
export function NotPermitted({ message }: { message: string }) {
  return (
    <Alert color="gray" title="Not available for your role">
      {message}
    </Alert>
  );
}

/** A failed query: a role refusal reads as a notice, anything else as an error. */
export function QueryError({ error }: { error: Error }) {
  if (isRoleRefusal(error)) return <NotPermitted message={error.detail} />;
  return (
    <Alert color="red" role="alert">
      {error.message}
    </Alert>
  );
}
