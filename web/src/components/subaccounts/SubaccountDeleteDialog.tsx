import { Button, Group, List, NativeSelect, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useMe } from '../../access';
import { api } from '../../api';
import {
  applicationPath,
  applicationsKey,
  deleteConsequence,
  useApplications,
} from '../applications/applications';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { FormAlert } from '../FormAlert';
import { numberPath, numbersKey, releaseConsequence, useNumbers } from '../numbers/numbers';
import { type Subaccount, subaccountPath, subaccountsKey, useSubaccounts } from './subaccounts';

/** Something the subaccount holds: it can be moved elsewhere in the account, or removed after a confirmation. */
interface HeldItem {
  key: string;
  label: string;
  /** What the item is called in the names of its controls, such as the number or the application's name. */
  name: string;
  /** Moves it to a subaccount by Auth ID, or to the main account (''). */
  move: (to: string) => Promise<unknown>;
  remove: { label: string; consequence: string; request: () => Promise<unknown> };
}

/**
 * Delete Subaccount. What the subaccount still holds is listed with what can be done about it (move
 * a number or an application to the main account or another subaccount, release a number, delete an
 * application), so the person can clear the way from here; the server refuses the delete while
 * anything is left, naming it.
 */
export function SubaccountDeleteDialog({
  subaccount,
  onClose,
}: {
  subaccount: Subaccount | undefined;
  onClose: () => void;
}) {
  const opened = subaccount !== undefined;
  const me = useMe();
  const numbers = useNumbers({ enabled: opened });
  const applications = useApplications({ enabled: opened });
  const subaccounts = useSubaccounts({ enabled: opened });
  const queryClient = useQueryClient();
  const [cleared, setCleared] = useState(0);
  const step = useMutation({
    mutationFn: (request: () => Promise<unknown>) => request(),
    onSuccess: () => setCleared((count) => count + 1),
    onSettled: () =>
      Promise.all(
        [numbersKey, applicationsKey, subaccountsKey].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
  const authId = subaccount?.authId;
  const mainAuthId = me.data?.account?.authId ?? '';
  const destinations = [
    { value: '', label: 'Main account' },
    ...(subaccounts.data?.subaccounts ?? [])
      .filter((other) => other.authId !== authId)
      .map((other) => ({ value: other.authId, label: other.name })),
  ];
  const held: HeldItem[] = [
    ...(numbers.data?.numbers ?? [])
      .filter((number) => number.sub_account === authId)
      .map((number) => ({
        key: `number ${number.number}`,
        label: `Number +${number.number}${number.alias ? ` (${number.alias})` : ''}`,
        name: number.number,
        move: (to: string) => api.patch(numberPath(number.number), { subaccount: to || mainAuthId }),
        remove: {
          label: 'Release',
          consequence: releaseConsequence,
          request: () => api.delete(numberPath(number.number)),
        },
      })),
    ...(applications.data?.applications ?? [])
      .filter((application) => application.sub_account === authId)
      .map((application) => ({
        key: `application ${application.app_id}`,
        label: `Application ${application.app_name}`,
        name: application.app_name,
        move: (to: string) => api.patch(applicationPath(application.app_id), { subaccount: to }),
        remove: {
          label: 'Delete',
          consequence: deleteConsequence,
          request: () => api.delete(applicationPath(application.app_id)),
        },
      })),
  ];
  const close = () => {
    step.reset();
    onClose();
  };
  return (
    <ConfirmDeleteDialog
      title={`Delete ${subaccount?.name ?? ''}?`}
      opened={opened}
      onClose={close}
      remove={() => api.delete(subaccountPath(authId ?? ''))}
      invalidates={[subaccountsKey]}
      refusalOutdatedBy={cleared}
    >
      <Stack gap="sm">
        <Text fz="sm">The subaccount's Auth ID and Auth Token stop working at once.</Text>
        {held.length > 0 && (
          <>
            <Text fz="sm">
              It still holds these: move them to the main account or another subaccount, or release its
              numbers and delete its applications first.
            </Text>
            <List spacing="sm" aria-label={`Held by ${subaccount?.name ?? ''}`}>
              {held.map((item) => (
                <List.Item key={item.key}>
                  <HeldItemControls
                    item={item}
                    destinations={destinations}
                    busy={step.isPending}
                    run={(request) => step.mutate(request)}
                  />
                </List.Item>
              ))}
            </List>
          </>
        )}
        <FormAlert error={step.error} />
      </Stack>
    </ConfirmDeleteDialog>
  );
}

/** One held item: where to move it, or its removal, which asks to confirm with what it does. */
function HeldItemControls({
  item,
  destinations,
  busy,
  run,
}: {
  item: HeldItem;
  destinations: { value: string; label: string }[];
  busy: boolean;
  run: (request: () => Promise<unknown>) => void;
}) {
  const [to, setTo] = useState('');
  const [confirming, setConfirming] = useState(false);
  const { remove } = item;
  return (
    <Stack gap={4}>
      <Text fz="sm">{item.label}</Text>
      {confirming ? (
        <Stack gap={4} role="group" aria-label={`${remove.label} ${item.name}?`}>
          <Text fz="sm">{remove.consequence}</Text>
          <Group gap="xs">
            <Button size="compact-sm" variant="default" onClick={() => setConfirming(false)}>
              Keep it
            </Button>
            <Button size="compact-sm" color="red" loading={busy} onClick={() => run(remove.request)}>
              {remove.label}
            </Button>
          </Group>
        </Stack>
      ) : (
        <Group gap="xs" wrap="nowrap">
          <NativeSelect
            size="xs"
            style={{ flex: 1 }}
            aria-label={`Move ${item.name} to`}
            data={destinations}
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
          />
          <Button
            size="compact-sm"
            variant="light"
            loading={busy}
            aria-label={`Move ${item.name}`}
            onClick={() => run(() => item.move(to))}
          >
            Move
          </Button>
          <Button
            size="compact-sm"
            variant="light"
            color="red"
            disabled={busy}
            aria-label={`${remove.label} ${item.name}`}
            onClick={() => setConfirming(true)}
          >
            {remove.label}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
