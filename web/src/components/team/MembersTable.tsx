import { Button, NativeSelect, Table, Text } from '@mantine/core';
import type { ChangeRole } from '@server/modules/team/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { roleNames } from '../../roles';
import { FormAlert } from '../FormAlert';
import { RemoveMemberDialog } from './RemoveMemberDialog';
import { type AssignableRole, assignableRoles, formatDate, type Member, teamKey } from './team';

/** The account's members: name, email, role, joined; the role can change and members can be removed, except the Owner. */
export function MembersTable({ members, yourUserId }: { members: Member[]; yourUserId: string | undefined }) {
  const queryClient = useQueryClient();
  const [removing, setRemoving] = useState<Member | null>(null);
  const changeRole = useMutation({
    mutationFn: (change: { userId: string; role: AssignableRole }) =>
      api.put(`/api/team/members/${change.userId}/role`, { role: change.role } satisfies ChangeRole),
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamKey }),
  });

  return (
    <>
      <Table verticalSpacing="xs" fz="sm" aria-label="Team members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Joined</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {members.map((member) => {
            const fixed = member.role === 'owner' || member.userId === yourUserId;
            const changing = changeRole.isPending && changeRole.variables.userId === member.userId;
            return (
              <Table.Tr key={member.userId}>
                <Table.Td>
                  {member.name}
                  {member.userId === yourUserId && (
                    <Text span c="dimmed" fz="sm">
                      {' '}
                      (you)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{member.email}</Table.Td>
                <Table.Td>
                  {fixed ? (
                    roleNames[member.role]
                  ) : (
                    <NativeSelect
                      size="xs"
                      aria-label={`Role of ${member.email}`}
                      data={assignableRoles}
                      value={changing ? changeRole.variables.role : member.role}
                      disabled={changeRole.isPending}
                      onChange={(event) =>
                        changeRole.mutate({
                          userId: member.userId,
                          role: event.currentTarget.value as AssignableRole,
                        })
                      }
                    />
                  )}
                </Table.Td>
                <Table.Td>{formatDate(member.joinedAt)}</Table.Td>
                <Table.Td ta="right">
                  {!fixed && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${member.email}`}
                      onClick={() => setRemoving(member)}
                    >
                      Remove
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      <FormAlert error={changeRole.error} />
      <RemoveMemberDialog member={removing} onClose={() => setRemoving(null)} />
    </>
  );
}
