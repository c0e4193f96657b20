import { Button, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { CredentialValue } from '../credentials/CredentialValue';
import { GenerateTokenDialog } from '../credentials/GenerateTokenDialog';
import { EnabledSwitch } from './EnabledSwitch';
import { SenderIdsDialog } from './SenderIdsDialog';
import { SubaccountDeleteDialog } from './SubaccountDeleteDialog';
import { SubaccountNameDialog } from './SubaccountNameDialog';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

type Action = { kind: 'rename' | 'token' | 'delete' | 'senders'; subaccount: Subaccount };

/** The subaccounts with their credentials; Owner and Admin also enable, rename, rotate tokens and delete. */
export function SubaccountsTable({
  subaccounts,
  canManage,
}: {
  subaccounts: Subaccount[];
  canManage: boolean;
}) {
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const target = action?.subaccount;
  return (
    <>
      <Table verticalSpacing="sm" fz="sm" aria-label="Subaccounts">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Auth ID</Table.Th>
            <Table.Th>Auth Token</Table.Th>
            <Table.Th>Enabled</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {subaccounts.map((subaccount) => (
            <Table.Tr key={subaccount.authId}>
              <Table.Td>{subaccount.name}</Table.Td>
              <Table.Td>
                <CredentialValue
                  label={`Auth ID of ${subaccount.name}`}
                  value={subaccount.authId}
                  hideLabel
                />
              </Table.Td>
              <Table.Td maw={320}>
                {subaccount.authToken ? (
                  <CredentialValue
                    label={`Auth Token of ${subaccount.name}`}
                    value={subaccount.authToken}
                    secret
                    hideLabel
                  />
                ) : (
                  <Text fz="sm" c="dimmed">
                    No live token
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <EnabledSwitch subaccount={subaccount} canManage={canManage} />
              </Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  <Button
                    size="compact-sm"
                    variant="subtle"
                    aria-label={`Sender IDs of ${subaccount.name}`}
                    onClick={() => setAction({ kind: 'senders', subaccount })}
                  >
                    Sender IDs
                  </Button>
                  {canManage &&
                    (['rename', 'token', 'delete'] as const).map((kind) => (
                      <Button
                        key={kind}
                        size="compact-sm"
                        variant="subtle"
                        color={kind === 'delete' ? 'red' : undefined}
                        aria-label={`${actionLabels[kind]} ${subaccount.name}`}
                        onClick={() => setAction({ kind, subaccount })}
                      >
                        {actionLabels[kind]}
                      </Button>
                    ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <SenderIdsDialog subaccount={action?.kind === 'senders' ? target : undefined} onClose={close} />
      <SubaccountNameDialog opened={action?.kind === 'rename'} subaccount={target} onClose={close} />
      <GenerateTokenDialog
        opened={action?.kind === 'token'}
        onClose={close}
        title={`Generate Auth Token for ${target?.name ?? ''}`}
        path={`${subaccountPath(target?.authId ?? '')}/tokens`}
        queryKey={subaccountsKey}
        afterwards="It stays readable in the list below."
      />
      <SubaccountDeleteDialog subaccount={action?.kind === 'delete' ? target : undefined} onClose={close} />
    </>
  );
}

const actionLabels = { rename: 'Rename', token: 'Generate token', delete: 'Delete' } as const;
