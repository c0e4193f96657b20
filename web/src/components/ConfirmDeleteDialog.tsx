import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { FormAlert } from './FormAlert';

/**
 * Asks before deleting something; the server's refusal (such as what must be released first) is
 * shown in the dialog, which stays open so the person can read it. When `refusalOutdatedBy` changes
 * after a refusal (something in the way was cleared from the dialog), the refusal no longer holds
 * and is not shown.
 */
export function ConfirmDeleteDialog({
  title,
  opened,
  onClose,
  remove,
  invalidates,
  confirmLabel = 'Delete',
  refusalOutdatedBy,
  children,
}: {
  title: string;
  opened: boolean;
  onClose: () => void;
  remove: () => Promise<unknown>;
  invalidates: QueryKey[];
  /** The confirming button's label, such as Release. */
  confirmLabel?: string;
  refusalOutdatedBy?: unknown;
  children: ReactNode;
}) {
  const queryClient = useQueryClient();
  const [refusedAt, setRefusedAt] = useState<unknown>();
  const deletion = useMutation({
    mutationFn: remove,
    onSuccess: () => close(),
    onError: () => setRefusedAt(refusalOutdatedBy),
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
        <FormAlert error={refusedAt === refusalOutdatedBy ? deletion.error : null} />
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
