import { Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import type { ReviewDecided, ReviewDecision } from '@server/modules/staff/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { type AccountUnderReview, reviewsKey } from './reviews';

type Decision = 'approve' | 'reject';

/** Approve or reject an account under review (from the queue or the account's page); the owner is emailed the note. */
export function ReviewDecisionDialog({
  account,
  onClose,
  onDecided,
}: {
  account: Pick<AccountUnderReview, 'id' | 'name' | 'ownerEmail'> | null;
  onClose: () => void;
  onDecided: (message: string) => void;
}) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const decide = useMutation({
    mutationFn: (decision: Decision) =>
      api.post<ReviewDecided>(`/api/staff/reviews/${account?.id}/decision`, {
        decision,
        note,
      } satisfies ReviewDecision),
    onSuccess: (_, decision) => {
      onDecided(`${account?.name ?? 'The account'} was ${decision === 'approve' ? 'approved' : 'rejected'}.`);
      setNote('');
      decide.reset();
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: reviewsKey }),
  });
  const close = () => {
    setNote('');
    decide.reset();
    onClose();
  };
  return (
    <Modal
      opened={account !== null}
      onClose={close}
      title={`Review ${account?.name ?? ''}`}
      centered
      size="lg"
    >
      <Stack>
        <Text fz="sm">
          The owner, {account?.ownerEmail}, is emailed your decision. A note is required to reject, and the
          customer reads it.
        </Text>
        <Textarea
          label="Note"
          autosize
          minRows={3}
          value={note}
          onChange={(event) => setNote(event.currentTarget.value)}
          error={fieldError(decide.error, 'note')}
        />
        <FormAlert error={decide.error} fields={['note']} />
        <Group justify="flex-end">
          <Button
            color="red"
            variant="light"
            onClick={() => decide.mutate('reject')}
            loading={decide.isPending && decide.variables === 'reject'}
            disabled={decide.isPending}
          >
            Reject
          </Button>
          <Button
            color="teal"
            onClick={() => decide.mutate('approve')}
            loading={decide.isPending && decide.variables === 'approve'}
            disabled={decide.isPending}
          >
            Approve
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
