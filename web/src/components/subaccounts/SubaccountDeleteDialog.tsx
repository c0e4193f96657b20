import { Button, Group, List, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../../access';
import { api } from '../../api';
import { applicationPath, applicationsKey, useApplications } from '../applications/applications';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { FormAlert } from '../FormAlert';
import { numberPath, numbersKey, useNumbers } from '../numbers/numbers';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

/** Something the subaccount holds, with what the dialog offers to do about it. */
interface HeldItem {
  key: string;
  label: string;
  actions: { label: string; name: string; danger?: boolean; request: () => Promise<unknown> }[];
}

/**
 * Delete Subaccount. What the subaccount still holds is listed with what can be done about it
 * (release a number or move it to the main account, delete an application), so the person can
 * clear the way from here; the server refuses the delete while anything is left, naming it.
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
  const queryClient = useQueryClient();
  const step = useMutation({
    mutationFn: (request: () => Promise<unknown>) => request(),
    onSettled: () =>
      Promise.all(
        [numbersKey, applicationsKey, subaccountsKey].map((queryKey) =>
          queryClient.invalidateQueries({ queryKey }),
        ),
      ),
  });
  const authId = subaccount?.authId;
  const mainAuthId = me.data?.account?.authId ?? '';
  const held: HeldItem[] = [
    ...(numbers.data?.numbers ?? [])
      .filter((number) => number.sub_account === authId)
      .map((number) => ({
        key: `number ${number.number}`,
        label: `Number +${number.number}${number.alias ? ` (${number.alias})` : ''}`,
        actions: [
          {
            label: 'Move to main account',
            name: `Move ${number.number} to the main account`,
            request: () => api.patch(numberPath(number.number), { subaccount: mainAuthId }),
          },
          {
            label: 'Release',
            name: `Release ${number.number}`,
            danger: true,
            request: () => api.delete(numberPath(number.number)),
          },
        ],
      })),
    ...(applications.data?.applications ?? [])
      .filter((application) => application.sub_account === authId)
      .map((application) => ({
        key: `application ${application.app_id}`,
        label: `Application ${application.app_name}`,
        actions: [
          {
            label: 'Delete',
            name: `Delete ${application.app_name}`,
            danger: true,
            request: () => api.delete(applicationPath(application.app_id)),
          },
        ],
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
    >
      <Stack gap="sm">
        <Text fz="sm">The subaccount's Auth ID and Auth Token stop working at once.</Text>
        {held.length > 0 && (
          <>
            <Text fz="sm">
              It still holds these; release or move its numbers and delete its applications first:
            </Text>
            <List spacing="xs" aria-label={`Held by ${subaccount?.name ?? ''}`}>
              {held.map((item) => (
                <List.Item key={item.key}>
                  <Group gap="xs">
                    <Text fz="sm">{item.label}</Text>
                    {item.actions.map((action) => (
                      <Button
                        key={action.label}
                        size="compact-xs"
                        variant="light"
                        color={action.danger ? 'red' : undefined}
                        loading={step.isPending}
                        aria-label={action.name}
                        onClick={() => step.mutate(action.request)}
                      >
                        {action.label}
                      </Button>
                    ))}
                  </Group>
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
