import { Alert } from '@mantine/core';
import { formError } from '../api';

/** The refusal of a form as a whole; problems the API tied to a field are shown beside that field instead. */
export function FormAlert({ error, fields = [] }: { error: unknown; fields?: string[] }) {
  const message = formError(error, fields);
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}
