import { Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { ApiError, api, fieldError } from '../api';
import { CodeInput } from './CodeInput';
import { FormAlert } from './FormAlert';

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
  refusal: ApiError;
}

/**
 * Sensitive changes need a sign-in or password check in the last 10 minutes. `run` performs a change;
 * when the API asks for re-authentication it opens a dialog for the password (staff: a code from
 * their authenticator app), then performs the change again. Cancelling the dialog rejects with the
 * API's refusal.
 */
export function useReauthentication(door: 'user' | 'staff' = 'user') {
  const pending = useRef<Pending | null>(null);
  const [opened, setOpened] = useState(false);

  async function run<T>(change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 'reauthentication_required')) throw error;
      await new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject, refusal: error };
        setOpened(true);
      });
      return change();
    }
  }

  const settle = (confirmed: boolean) => {
    const current = pending.current;
    pending.current = null;
    setOpened(false);
    if (confirmed) current?.resolve();
    else current?.reject(current.refusal);
  };

  const dialog = (
    <ReauthenticateDialog
      door={door}
      opened={opened}
      onConfirmed={() => settle(true)}
      onCancel={() => settle(false)}
    />
  );
  return { run, dialog };
}

function ReauthenticateDialog({
  door,
  opened,
  onConfirmed,
  onCancel,
}: {
  door: 'user' | 'staff';
  opened: boolean;
  onConfirmed: () => void;
  onCancel: () => void;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const confirm = useMutation({
    mutationFn: () =>
      door === 'staff'
        ? api.post('/api/staff/session/reauthenticate', { code })
        : api.post('/api/session/reauthenticate', { password }),
    onSuccess: () => {
      setPassword('');
      setCode('');
      confirm.reset();
      onConfirmed();
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The dialog is portalled, but React bubbles its submit to a form that renders it.
    event.stopPropagation();
    confirm.mutate();
  };
  return (
    <Modal opened={opened} onClose={onCancel} title="Confirm it is you" centered>
      <form onSubmit={submit}>
        <Stack>
          <Text fz="sm">
            For your security, enter{' '}
            {door === 'staff' ? 'a code from your authenticator app' : 'your password'} again before this
            change. You will not be asked again for 10 minutes.
          </Text>
          {door === 'staff' ? (
            <CodeInput
              label="Authenticator code"
              value={code}
              onChange={setCode}
              error={fieldError(confirm.error, 'code')}
            />
          ) : (
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              required
              data-autofocus
              value={password}
              onChange={(event) => setPassword(event.currentTarget.value)}
              error={fieldError(confirm.error, 'password')}
            />
          )}
          <FormAlert error={confirm.error} fields={['password', 'code']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" loading={confirm.isPending}>
              Confirm
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
