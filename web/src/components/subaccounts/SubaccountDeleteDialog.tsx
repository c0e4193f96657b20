import { Button, Group, List, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useMe } from '../../access';
import { api } from '../../api';
import { applicationPath, applicationsKey, useApplications } from '../applications/applications';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { FormAlert } from '../FormAlert';
import { numberPath, numbersKey, useNumbers } from '../numbers/numbers';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

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
  const heldNumbers = (numbers.data?.numbers ?? []).filter((n) => n.sub_account === authId);
  const heldApplications = (applications.data?.applications ?? []).filter((a) => a.sub_account === authId);
  const mainAuthId = me.data?.account?.authId ?? '';
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
        {heldNumbers.length + heldApplications.length > 0 && (
          <>
            <Text fz="sm">
              It still holds these; release or move its numbers and delete its applications first:
            </Text>
            <List spacing="xs" aria-label={`Held by ${subaccount?.name ?? ''}`}>
              {heldNumbers.map((held) => (
                <List.Item key={held.number}>
                  <Group gap="xs">
                    <Text fz="sm">
                      Number +{held.number}
                      {held.alias ? ` (${held.alias})` : ''}
                    </Text>
                    <Button
                      size="compact-xs"
                      variant="light"
                      loading={step.isPending}
                      aria-label={`Move ${held.number} to the main account`}
                      onClick={() =>
                        step.mutate(() => api.patch(numberPath(held.number), { subaccount: mainAuthId }))
                      }
                    >
                      Move to main account
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      loading={step.isPending}
                      aria-label={`Release ${held.number}`}
                      onClick={() => step.mutate(() => api.delete(numberPath(held.number)))}
                    >
                      Release
                    </Button>
                  </Group>
                </List.Item>
              ))}
              {heldApplications.map((held) => (
                <List.Item key={held.app_id}>
                  <Group gap="xs">
                    <Text fz="sm">Application {held.app_name}</Text>
                    <Button
                      size="compact-xs"
                      variant="light"
                      color="red"
                      loading={step.isPending}
                      aria-label={`Delete ${held.app_name}`}
                      onClick={() => step.mutate(() => api.delete(applicationPath(held.app_id)))}
                    >
                      Delete
                    </Button>
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
