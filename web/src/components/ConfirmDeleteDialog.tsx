import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { FormAlert } from './FormAlert';

/**
 * Asks before deleting something; the server's refusal (such as what must be released first) is
 * shown in the dialog, which stays open so the person can read it.
 */
export function ConfirmDeleteDialog({
  title,
  opened,
  onClose,
  remove,
  invalidates,
  confirmLabel = 'Delete',
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  remove: () => Promise<unknown>;
  invalidates: QueryKey[];
  /** The confirming button's label, such as Release. */
  confirmLabel?: string;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const deletion = useMutation({
    mutationFn: remove,
    onSuccess: () => close(),
    onSettled: () => Promise.all(invalidates.map((queryKey) => queryClient.invalidateQueries({ queryKey }))),
  });
  const close = () => {
    deletion.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <Stack>
        <Text fz="sm" component="div">
          {children}
        </Text>
        <FormAlert error={deletion.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Cancel
          </Button>
          <Button color="red" loading={deletion.isPending} onClick={() => deletion.mutate()}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
