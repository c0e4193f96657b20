import { Badge } from '@mantine/core';

const shown: Record<string, { label: string; color: string }> = {
  ringing: { label: 'ringing', color: 'yellow' },
  'in-progress': { label: 'in progress', color: 'blue' },
  completed: { label: 'completed', color: 'gray' },
};

/** A call's state as a word in its colour: ringing yellow, in progress blue, completed grey. */
export function CallStateBadge({ state }: { state: string }) {
  const { label, color } = shown[state] ?? { label: state, color: 'gray' };
  return (
    <Badge color={color} variant="light" style={{ minWidth: 'max-content' }}>
      {label}
    </Badge>
  );
}
