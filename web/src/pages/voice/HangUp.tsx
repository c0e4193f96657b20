import { Alert, Button, type ButtonProps, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { type ReactNode, useState } from 'react';
import { useAccess } from '../../access';
import { type ConsoleCall, endedMeanwhile, hangUpRefusal, useCall, useHangUp } from './calls';

const ringingNote =
  'Still ringing: only an answered call can be hung up. It can be hung up once it is answered.';

/**
 * "Hang up" for the calls a page shows, for roles that may: a button per live call and one dialog
 * that asks first. The dialog belongs to the page, not to the row, so it stays open (and says so)
 * when the call ends meanwhile and leaves the live list.
 */
export function useHangUpDialog(): {
  /** Whether the member's role may hang up calls. */
  allowed: boolean;
  button: (call: ConsoleCall, size?: ButtonProps['size']) => ReactNode;
  dialog: ReactNode;
} {
  const access = useAccess();
  const [target, setTarget] = useState<ConsoleCall | null>(null);
  const [requested, setRequested] = useState<ReadonlySet<string>>(new Set());
  const button = (call: ConsoleCall, size: ButtonProps['size'] = 'compact-sm') => {
    if (!access.can('hangUpCalls') || call.state === 'completed') return null;
    if (requested.has(call.uuid))
      return (
        <Text fz="sm" c="dimmed" role="status">
          Hang-up requested
        </Text>
      );
    if (call.state === 'ringing')
      return (
        <Tooltip label={ringingNote} multiline w={260}>
          <Button size={size} variant="default" disabled aria-label={`Hang up: ${ringingNote}`}>
            Hang up
          </Button>
        </Tooltip>
      );
    return (
      <Button size={size} variant="light" color="red" onClick={() => setTarget(call)}>
        Hang up
      </Button>
    );
  };
  const dialog = target && (
    <HangUpDialog
      key={target.uuid}
      call={target}
      onClose={() => setTarget(null)}
      onRequested={() => {
        setRequested(new Set([...requested, target.uuid]));
        setTarget(null);
      }}
    />
  );
  return { allowed: access.can('hangUpCalls'), button, dialog };
}

/** Asks before hanging up; a refusal (still ringing, already ended) is explained in words. */
function HangUpDialog({
  call,
  onClose,
  onRequested,
}: {
  call: ConsoleCall;
  onClose: () => void;
  onRequested: () => void;
}) {
  const hangUp = useHangUp(call.uuid);
  // The call as it is now (looked at again while it goes on): it may end while the dialog is open.
  const now = useCall(call.uuid);
  const refusal =
    hangUpRefusal(hangUp.error) ?? (now.data?.state === 'completed' ? endedMeanwhile : undefined);
  return (
    <Modal opened onClose={onClose} title="Hang up this call?" centered>
      <Stack>
        <Text fz="sm">
          The call from <strong>{call.from}</strong> to <strong>{call.to}</strong> ends for both sides. It is
          charged for the seconds until then.
        </Text>
        {refusal && (
          <Alert color="red" variant="light" role="alert">
            {refusal}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {refusal ? 'Close' : 'Cancel'}
          </Button>
          {!refusal && (
            <Button
              color="red"
              loading={hangUp.isPending}
              onClick={() => hangUp.mutate(undefined, { onSuccess: onRequested })}
            >
              Hang up
            </Button>
          )}
        </Group>
      </Stack>
    </Modal>
  );
}
