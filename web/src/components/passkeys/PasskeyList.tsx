import { Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import type { Passkey, PasskeyList as PasskeyListAnswer } from '@server/modules/identity/passkey-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { createPasskey } from '../../passkeys';
import { FormAlert } from '../FormAlert';
import { DialogForm, FormDialog } from '../FormDialog';

/** Performs a sensitive change, asking the person to confirm it is them first when the API says so. */
export type Reauthenticated = <T>(change: () => Promise<T>) => Promise<T>;

const when = (at: string | null) => (at ? new Date(at).toLocaleDateString() : 'Never');

/**
 * A person's passkeys, for customers' Security and staff's own security settings alike: the list
 * (name, added, last used), Add a passkey (the browser asks the authenticator), rename and remove.
 * `basePath` is the door's passkeys collection; `run` wraps the changes that need re-authentication.
 */
export function PasskeyList({ basePath, run }: { basePath: string; run: Reauthenticated }) {
  const queryClient = useQueryClient();
  const queryKey = ['passkeys', basePath];
  const passkeys = useQuery({ queryKey, queryFn: () => api.get<PasskeyListAnswer>(basePath) });
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<Passkey | null>(null);
  const [removing, setRemoving] = useState<Passkey | null>(null);
  const changed = () => queryClient.invalidateQueries({ queryKey: ['passkeys'] });
  const remove = useMutation({
    mutationFn: (passkey: Passkey) => run(() => api.delete(`${basePath}/${passkey.id}`)),
    onSuccess: () => setRemoving(null),
    onSettled: changed,
  });

  return (
    <Stack gap="xs">
      {passkeys.data && passkeys.data.passkeys.length > 0 && (
        <Table aria-label="Passkeys" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Added</Table.Th>
              <Table.Th>Last used</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {passkeys.data.passkeys.map((passkey) => (
              <Table.Tr key={passkey.id}>
                <Table.Td>{passkey.name}</Table.Td>
                <Table.Td>{when(passkey.createdAt)}</Table.Td>
                <Table.Td>{when(passkey.lastUsedAt)}</Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="xs" variant="default" onClick={() => setRenaming(passkey)}>
                      Rename
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => {
                        remove.reset();
                        setRemoving(passkey);
                      }}
                    >
                      Remove
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <FormAlert error={passkeys.error} />
      <Group>
        <Button onClick={() => setAdding(true)}>Add a passkey</Button>
      </Group>
      <FormDialog opened={adding} onClose={() => setAdding(false)} title="Add a passkey">
        <AddPasskeyForm
          basePath={basePath}
          run={run}
          onDone={() => {
            setAdding(false);
            changed();
          }}
          onCancel={() => setAdding(false)}
        />
      </FormDialog>
      <FormDialog opened={renaming !== null} onClose={() => setRenaming(null)} title="Rename the passkey">
        {renaming && (
          <RenamePasskeyForm
            basePath={basePath}
            passkey={renaming}
            onDone={() => {
              setRenaming(null);
              changed();
            }}
            onCancel={() => setRenaming(null)}
          />
        )}
      </FormDialog>
      <Modal
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        title="Remove the passkey?"
        centered
      >
        <Stack>
          <Text fz="sm">
            <b>{removing?.name}</b> will no longer sign you in. You can add it again at any time.
          </Text>
          <FormAlert error={remove.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRemoving(null)}>
              Keep it
            </Button>
            <Button
              color="red"
              onClick={() => removing && remove.mutate(removing)}
              loading={remove.isPending}
            >
              Remove
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

function AddPasskeyForm({
  basePath,
  run,
  onDone,
  onCancel,
}: {
  basePath: string;
  run: Reauthenticated;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState('');
  const add = useMutation({
    mutationFn: () =>
      run(async () => {
        const credential = await createPasskey(`${basePath}/options`);
        return api.post<Passkey>(basePath, { name, credential });
      }),
    onSuccess: onDone,
  });
  return (
    <DialogForm save={add} submitLabel="Create passkey" onCancel={onCancel} errorFields={['name']}>
      <Text fz="sm">
        Your browser asks your device (its screen lock, a fingerprint, a security key or your phone) to make a
        passkey for Switchboard. With it you can sign in without a password or a code.
      </Text>
      <TextInput
        label="Passkey name"
        description='So you can tell your passkeys apart, such as "Work laptop".'
        required
        data-autofocus
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(add.error, 'name')}
      />
    </DialogForm>
  );
}

function RenamePasskeyForm({
  basePath,
  passkey,
  onDone,
  onCancel,
}: {
  basePath: string;
  passkey: Passkey;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [name, setName] = useState(passkey.name);
  const rename = useMutation({
    mutationFn: () => api.patch(`${basePath}/${passkey.id}`, { name }),
    onSuccess: onDone,
  });
  return (
    <DialogForm save={rename} submitLabel="Save" onCancel={onCancel} errorFields={['name']}>
      <TextInput
        label="Passkey name"
        required
        data-autofocus
        maxLength={60}
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        error={fieldError(rename.error, 'name')}
      />
    </DialogForm>
  );
}
