import { Button, Group, Table, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { roleNames } from '../../roles';
import { FormAlert } from '../FormAlert';
import { formatDate, type Invitation, teamKey } from './team';

/** Invitations not yet accepted: Resend emails a new link (the old one stops working), Revoke withdraws it. */
export function InvitationsTable({
  invitations,
  onResent,
}: {
  invitations: Invitation[];
  onResent: (email: string) => void;
}) {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: teamKey });
  const resend = useMutation({
    mutationFn: (invitation: Invitation) => api.post(`/api/team/invitations/${invitation.id}/resend`),
    onSuccess: (_, invitation) => onResent(invitation.email),
    onSettled: refresh,
  });
  const revoke = useMutation({
    mutationFn: (invitation: Invitation) => api.delete(`/api/team/invitations/${invitation.id}`),
    onSettled: refresh,
  });
  if (invitations.length === 0) {
    return (
      <Text fz="sm" c="dimmed">
        No pending invitations.
      </Text>
    );
  }
  const busy = (invitation: Invitation) =>
    (resend.isPending && resend.variables.id === invitation.id) ||
    (revoke.isPending && revoke.variables.id === invitation.id);

  return (
    <>
      <Table verticalSpacing="xs" fz="sm" aria-label="Pending invitations">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Last sent</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {invitations.map((invitation) => (
            <Table.Tr key={invitation.id}>
              <Table.Td>{invitation.email}</Table.Td>
              <Table.Td>{roleNames[invitation.role]}</Table.Td>
              <Table.Td>{formatDate(invitation.lastSentAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs" justify="flex-end">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    aria-label={`Resend invitation to ${invitation.email}`}
                    disabled={busy(invitation)}
                    onClick={() => resend.mutate(invitation)}
                  >
                    Resend
                  </Button>
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    color="red"
                    aria-label={`Revoke invitation to ${invitation.email}`}
                    disabled={busy(invitation)}
                    onClick={() => revoke.mutate(invitation)}
                  >
                    Revoke
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <FormAlert error={resend.error ?? revoke.error} />
    </>
  );
}
