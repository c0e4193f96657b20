import { Group, NativeSelect, Text } from '@mantine/core';
import type { SwitchAccount } from '@server/modules/team/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useMe } from '../access';
import { api } from '../api';
import { roleNames } from '../roles';
import { enterAccount } from '../session';

/**
 * The current account in the header. A person in several accounts picks another one here; the console
 * then reads the session again and the menu follows their role in that account.
 */
export function AccountSwitcher({ current }: { current: { id: string; name: string } }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const me = useMe();
  const switchTo = useMutation({
    mutationFn: (accountId: string) =>
      api.post('/api/session/account', { accountId } satisfies SwitchAccount),
    onSuccess: async () => {
      await enterAccount(queryClient);
      navigate('/');
    },
  });
  const memberships = me.data?.memberships ?? [];
  if (memberships.length < 2) {
    return (
      <Text c="dimmed" fz="sm">
        {current.name}
      </Text>
    );
  }
  return (
    <Group gap="xs" wrap="nowrap">
      <NativeSelect
        size="xs"
        aria-label="Account"
        value={switchTo.isPending ? switchTo.variables : current.id}
        disabled={switchTo.isPending}
        data={memberships.map((membership) => ({
          value: membership.accountId,
          label: `${membership.name} (${roleNames[membership.role]})`,
        }))}
        onChange={(event) => switchTo.mutate(event.currentTarget.value)}
      />
      {switchTo.error && (
        <Text c="red" fz="xs" role="alert">
          {switchTo.error.message}
        </Text>
      )}
    </Group>
  );
}
