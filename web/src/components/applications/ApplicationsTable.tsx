import { Badge, Code, Group, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { endpointsKey } from '../endpoints/endpoints';
import { EditDeleteButtons } from '../RowActions';
import { ownerName, type Subaccount, subaccountsKey } from '../subaccounts/subaccounts';
import { ApplicationDialog } from './ApplicationDialog';
import { type Application, applicationPath, applicationsKey, deleteConsequence } from './applications';

type Action = { kind: 'edit' | 'delete'; application: Application };

/** The applications with their SIP URI and the subaccount (by name) they belong to; edit and delete per row. */
export function ApplicationsTable({
  applications,
  subaccounts,
}: {
  applications: Application[];
  subaccounts: Subaccount[];
}) {
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const target = action?.application;
  return (
    <>
      <Table verticalSpacing="sm" fz="sm" aria-label="Applications">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>App ID</Table.Th>
            <Table.Th>SIP URI</Table.Th>
            <Table.Th>Answer URL</Table.Th>
            <Table.Th>Subaccount</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {applications.map((application) => (
            <Table.Tr key={application.app_id}>
              <Table.Td>
                <Group gap="xs">
                  {application.app_name}
                  {application.default_app && <Badge size="xs">default for numbers</Badge>}
                  {application.default_endpoint_app && <Badge size="xs">default for endpoints</Badge>}
                </Group>
              </Table.Td>
              <Table.Td>
                <Code>{application.app_id}</Code>
              </Table.Td>
              <Table.Td>
                <Code>{application.sip_uri}</Code>
              </Table.Td>
              <Table.Td style={{ wordBreak: 'break-all' }}>
                {application.answer_url ? (
                  `${application.answer_method} ${application.answer_url}`
                ) : (
                  <Text span c="dimmed" fz="sm">
                    none
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{ownerName(subaccounts, application.sub_account)}</Table.Td>
              <Table.Td>
                <EditDeleteButtons
                  name={application.app_name}
                  onEdit={() => setAction({ kind: 'edit', application })}
                  onDelete={() => setAction({ kind: 'delete', application })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ApplicationDialog opened={action?.kind === 'edit'} application={target} onClose={close} />
      <ConfirmDeleteDialog
        title={`Delete ${target?.app_name ?? ''}?`}
        opened={action?.kind === 'delete'}
        onClose={close}
        remove={() => api.delete(applicationPath(target?.app_id ?? ''))}
        invalidates={[applicationsKey, endpointsKey, subaccountsKey]}
      >
        {deleteConsequence}
      </ConfirmDeleteDialog>
    </>
  );
}
