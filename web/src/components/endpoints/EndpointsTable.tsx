import { Code, Stack, Table } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api';
import type { Application } from '../applications/applications';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { CredentialValue } from '../credentials/CredentialValue';
import { EditDeleteButtons } from '../RowActions';
import { EndpointDialog } from './EndpointDialog';
import { type Endpoint, endpointPath, endpointsKey } from './endpoints';
import { RegistrationStatus } from './RegistrationStatus';

type Action = { kind: 'edit' | 'delete'; endpoint: Endpoint };

/** The SIP endpoints with their SIP URI, application and whether a device is registered now; edit and delete per row. */
export function EndpointsTable({
  endpoints,
  applications,
}: {
  endpoints: Endpoint[];
  applications: Application[];
}) {
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const target = action?.endpoint;
  const appName = (appId: string | null) =>
    appId ? (applications.find((application) => application.app_id === appId)?.app_name ?? appId) : 'None';
  return (
    <>
      <Table verticalSpacing="sm" fz="sm" aria-label="Endpoints">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Alias</Table.Th>
            <Table.Th>Username</Table.Th>
            <Table.Th>SIP URI and registration</Table.Th>
            <Table.Th>Application</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {endpoints.map((endpoint) => (
            <Table.Tr key={endpoint.endpointId}>
              <Table.Td>{endpoint.alias}</Table.Td>
              <Table.Td>
                <Code>{endpoint.username}</Code>
              </Table.Td>
              <Table.Td>
                <Stack gap={6}>
                  <CredentialValue label={`SIP URI of ${endpoint.alias}`} value={endpoint.sipUri} hideLabel />
                  <RegistrationStatus endpoint={endpoint} />
                </Stack>
              </Table.Td>
              <Table.Td>{appName(endpoint.appId)}</Table.Td>
              <Table.Td>
                <EditDeleteButtons
                  name={endpoint.alias}
                  onEdit={() => setAction({ kind: 'edit', endpoint })}
                  onDelete={() => setAction({ kind: 'delete', endpoint })}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <EndpointDialog opened={action?.kind === 'edit'} endpoint={target} onClose={close} />
      <ConfirmDeleteDialog
        title={`Delete ${target?.alias ?? ''}?`}
        opened={action?.kind === 'delete'}
        onClose={close}
        remove={() => api.delete(endpointPath(target?.endpointId ?? ''))}
        invalidates={[endpointsKey]}
      >
        SIP devices registered as <Code>{target?.username}</Code> can no longer register or call.
      </ConfirmDeleteDialog>
    </>
  );
}
