import { ActionIcon, Menu, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { CredentialValue } from '../credentials/CredentialValue';
import { GenerateTokenDialog } from '../credentials/GenerateTokenDialog';
import { DotsIcon } from '../DotsIcon';
import { EnabledSwitch } from './EnabledSwitch';
import { SenderIdsDialog } from './SenderIdsDialog';
import { SubaccountDeleteDialog } from './SubaccountDeleteDialog';
import { SubaccountNameDialog } from './SubaccountNameDialog';
import { type Subaccount, subaccountPath, subaccountsKey } from './subaccounts';

type Action = { kind: 'rename' | 'token' | 'delete' | 'senders'; subaccount: Subaccount };

/**
 * The subaccounts with their credentials, each on one line; the actions of a row are in its menu
 * (sender IDs; Owner and Admin also rename, rotate tokens and delete), so the credentials keep the room.
 */
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
  const kinds = canManage ? (['senders', 'rename', 'token', 'delete'] as const) : (['senders'] as const);
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
              <Table.Td>
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
              <Table.Td ta="right">
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${subaccount.name}`}>
                      <DotsIcon />
                    </ActionIcon>
                  </Menu.Target>
                  <Menu.Dropdown>
                    {kinds.map((kind) => (
                      <Menu.Item
                        key={kind}
                        color={kind === 'delete' ? 'red' : undefined}
                        onClick={() => setAction({ kind, subaccount })}
                      >
                        {actionLabels[kind]}
                      </Menu.Item>
                    ))}
                  </Menu.Dropdown>
                </Menu>
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
        keptUntil="It keeps working until you generate another token and revoke the old ones, so you can move your applications over first."
      />
      <SubaccountDeleteDialog subaccount={action?.kind === 'delete' ? target : undefined} onClose={close} />
    </>
  );
}

const actionLabels = {
  senders: 'Sender IDs',
  rename: 'Rename',
  token: 'Generate token',
  delete: 'Delete',
} as const;
