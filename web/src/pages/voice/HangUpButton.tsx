import { Alert, Button, type ButtonProps, Group, Modal, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../access';
import { type ConsoleCall, hangUpRefusal, useHangUp } from './calls';

const ringingNote =
  'Still ringing: only an answered call can be hung up. It can be hung up once it is answered.';

/**
 * "Hang up" for a live call, for roles that may: asks first, then the call's SIP server ends it with
 * a BYE to both sides. A refusal (still ringing, already ended) is explained in the dialog.
 */
export function HangUpButton({
  call,
  size = 'compact-sm',
}: {
  call: ConsoleCall;
  size?: ButtonProps['size'];
}) {
  const access = useAccess();
  const [opened, setOpened] = useState(false);
  const hangUp = useHangUp(call.uuid);
  if (!access.can('hangUpCalls') || call.state === 'completed') return null;
  if (hangUp.isSuccess)
    return (
      <Text fz="sm" c="dimmed" role="status">
        Hang-up requested
      </Text>
    );
  if (call.state === 'ringing')
    return (
      <Tooltip label={ringingNote} multiline w={260}>
        <Button
          size={size}
          variant="default"
          disabled
          aria-label={`Hang up the call to ${call.to}: ${ringingNote}`}
        >
          Hang up
        </Button>
      </Tooltip>
    );
  const close = () => {
    hangUp.reset();
    setOpened(false);
  };
  const refusal = hangUpRefusal(hangUp.error);
  return (
    <>
      <Button size={size} variant="light" color="red" onClick={() => setOpened(true)}>
        Hang up
      </Button>
      <Modal opened={opened} onClose={close} title="Hang up this call?" centered>
        <Stack>
          <Text fz="sm">
            The call from <strong>{call.from}</strong> to <strong>{call.to}</strong> ends for both sides. It
            is charged for the seconds until then.
          </Text>
          {refusal && (
            <Alert color="red" variant="light" role="alert">
              {refusal}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {refusal ? 'Close' : 'Cancel'}
            </Button>
            {!refusal && (
              <Button color="red" loading={hangUp.isPending} onClick={() => hangUp.mutate()}>
                Hang up
              </Button>
            )}
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
