import { Badge } from '@mantine/core';

const colors: Record<string, string> = {
  scheduled: 'gray',
  queued: 'gray',
  sent: 'blue',
  delivered: 'teal',
  undelivered: 'orange',
  failed: 'red',
  canceled: 'gray',
  received: 'grape',
};

/** A message's state as a word in its colour: delivered green, failed red, on its way blue or grey. */
export function MessageStateBadge({ state }: { state: string }) {
  return (
    <Badge color={colors[state] ?? 'gray'} variant="light">
      {state}
    </Badge>
  );
}
