import { List, Text } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { PasswordCheck } from '@server/modules/identity/schemas';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../api';

/** Live feedback on a new password against the server's policy, as the person types. */
export function PasswordFeedback({
  password,
  name,
  email,
}: {
  password: string;
  name?: string;
  email?: string;
}) {
  const [debounced] = useDebouncedValue(password, 300);
  const check = useQuery({
    queryKey: ['password-check', debounced, name ?? '', email ?? ''],
    queryFn: () => api.post<PasswordCheck>('/api/password-check', { password: debounced, name, email }),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
  });
  if (!password || !check.data) {
    return (
      <Text fz="xs" c="dimmed">
        At least 12 characters with upper- and lower-case letters, a digit and a symbol; not easy to guess.
      </Text>
    );
  }
  if (check.data.acceptable) {
    return (
      <Text fz="xs" c="teal.8" data-testid="password-feedback">
        This password meets the policy.
      </Text>
    );
  }
  return (
    <List size="xs" c="orange.9" data-testid="password-feedback" spacing={2}>
      {check.data.problems.map((problem) => (
        <List.Item key={problem}>{problem}</List.Item>
      ))}
    </List>
  );
}
