import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { type Member, teamKey } from './team';

/** Confirms removing a member: they lose this account at once, and their open sessions in it end. */
export function RemoveMemberDialog({ member, onClose }: { member: Member | null; onClose: () => void }) {
  const queryClient = useQueryClient();
  const remove = useMutation({
    mutationFn: (userId: string) => api.delete(`/api/team/members/${userId}`),
    onSuccess: () => close(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: teamKey }),
  });
  const close = () => {
    remove.reset();
    onClose();
  };

  return (
    <Modal opened={member !== null} onClose={close} title="Remove from the team?" centered>
      {member && (
        <Stack>
          <Text fz="sm">
            <b>{member.name}</b> ({member.email}) loses access to this account at once: their open console
            sessions in it end. Their user and their other accounts are not affected.
          </Text>
          <FormAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" loading={remove.isPending} onClick={() => remove.mutate(member.userId)}>
              Remove
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
