import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, formError } from '../../api';
import { FormAlert } from '../FormAlert';
import {
  type EngineCreated,
  type EngineDisconnectSet,
  type EngineList,
  type EngineView,
  enginesKey,
} from './engines';

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Staff > Engines: the telephony and messaging engines' credentials and the credit sessions each has open; a new key is shown once; revoke. */
export function EnginesPanel() {
  const queryClient = useQueryClient();
  const engines = useQuery({
    queryKey: enginesKey,
    queryFn: () => api.get<EngineList>('/api/staff/engines'),
  });
  const [name, setName] = useState('');
  const create = useMutation({
    mutationFn: () => api.post<EngineCreated>('/api/staff/engines', { name }),
    onSuccess: () => {
      setName('');
      queryClient.invalidateQueries({ queryKey: enginesKey });
    },
  });

  return (
    <Stack>
      <Title order={2} fz="h3">
        Engines
      </Title>
      <Text c="dimmed" size="sm">
        SIP servers, SMSC bridges and usage senders post to the engine door (/api/engine) with a key made here
        (or with <Code>switchboard engines create</Code>). The key is shown once; Switchboard keeps only a
        digest. Revoking a key refuses it from its next request on.
      </Text>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Group align="flex-end">
          <TextInput
            label="Engine name"
            description='Lower-case letters, digits, ".", "_" or "-"'
            placeholder="sbc1"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={create.isError ? formError(create.error) : undefined}
          />
          <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
            Create engine
          </Button>
        </Group>
      </form>
      {create.data && (
        <Alert color="teal" title={`Engine ${create.data.name} created: copy its key now`}>
          <Stack gap="xs">
            <Text size="sm">
              This is the only time the key is shown. Give it to the engine as its Bearer token.
            </Text>
            <Group gap="xs" wrap="nowrap">
              <Code style={{ wordBreak: 'break-all' }} aria-label="New engine key">
                {create.data.key}
              </Code>
              <CopyButton value={create.data.key}>
                {({ copied, copy }) => (
                  <Button size="xs" variant="light" onClick={copy}>
                    {copied ? 'Copied' : 'Copy'}
                  </Button>
                )}
              </CopyButton>
            </Group>
          </Stack>
        </Alert>
      )}
      {engines.isPending && <Loader size="sm" />}
      {engines.isError && <Alert color="red">{engines.error.message}</Alert>}
      {engines.data && engines.data.engines.length === 0 && <Text c="dimmed">No engines yet.</Text>}
      {engines.data && engines.data.engines.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table striped verticalSpacing="xs" fz="sm" aria-label="Engines">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Created</Table.Th>
                <Table.Th>Last used</Table.Th>
                <Table.Th ta="right">Open sessions</Table.Th>
                <Table.Th>Told to disconnect</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {engines.data.engines.map((engine) => (
                <EngineRow key={engine.id} engine={engine} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

const protocolNames: Record<EngineView['disconnectProtocol'], string> = {
  webhook: 'Signed webhook',
  'kamailio-jsonrpc': 'Kamailio JSON-RPC',
};

/** Where and how credit control tells the engine to end sessions; the signing secret is shown once. */
function DisconnectDialog({
  engine,
  opened,
  onClose,
}: {
  engine: EngineView;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(engine.disconnectUrl ?? '');
  const [protocol, setProtocol] = useState<EngineView['disconnectProtocol']>(engine.disconnectProtocol);
  const save = useMutation({
    mutationFn: () =>
      api.put<EngineDisconnectSet>(`/api/staff/engines/${engine.id}/disconnect`, { url, protocol }),
    onSettled: () => queryClient.invalidateQueries({ queryKey: enginesKey }),
  });
  const close = () => {
    save.reset();
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={`Disconnects for ${engine.name}`} centered size="lg">
      {save.data ? (
        <Stack>
          <Alert color="teal" title="Saved: copy the signing secret now">
            {protocol === 'webhook'
              ? 'Disconnect webhooks are signed with this secret (x-switchboard-signature); it is not shown again.'
              : 'Kamailio is told through its JSON-RPC (dlg.end_dlg, switchboard.dialog_timeout); the secret is kept in case the engine moves to webhooks.'}
          </Alert>
          <Code style={{ wordBreak: 'break-all' }} aria-label="Signing secret">
            {save.data.signingSecret}
          </Code>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack>
          <Select
            label="How"
            allowDeselect={false}
            value={protocol}
            onChange={(value) => setProtocol((value as EngineView['disconnectProtocol']) ?? 'webhook')}
            data={[
              { value: 'webhook', label: 'Signed webhook (a POST listing the sessions)' },
              { value: 'kamailio-jsonrpc', label: 'Kamailio JSON-RPC (each call ended with dlg.end_dlg)' },
            ]}
          />
          <TextInput
            label="URL"
            description={
              protocol === 'kamailio-jsonrpc'
                ? "Kamailio's JSON-RPC endpoint, e.g. http://127.0.0.1:5065/RPC"
                : 'Where the engine receives disconnect requests'
            }
            value={url}
            onChange={(event) => setUrl(event.currentTarget.value)}
          />
          <FormAlert error={save.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button loading={save.isPending} disabled={!url.trim()} onClick={() => save.mutate()}>
              Save
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

function EngineRow({ engine }: { engine: EngineView }) {
  const [editing, setEditing] = useState(false);
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.post(`/api/staff/engines/${engine.id}/revoke`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: enginesKey }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        <Code>{engine.name}</Code>
        <Text fz="xs" c="dimmed">
          {engine.id} · by {engine.createdBy}
        </Text>
      </Table.Td>
      <Table.Td>{when(engine.createdAt)}</Table.Td>
      <Table.Td>{when(engine.lastUsedAt)}</Table.Td>
      <Table.Td ta="right">{engine.openSessions}</Table.Td>
      <Table.Td>
        {engine.disconnectUrl ? (
          <>
            <Text fz="sm">{protocolNames[engine.disconnectProtocol]}</Text>
            <Text fz="xs" c="dimmed" style={{ wordBreak: 'break-all' }}>
              {engine.disconnectUrl}
            </Text>
          </>
        ) : (
          <Text fz="sm" c="dimmed">
            Not set: bounded by max_seconds only
          </Text>
        )}
        {!engine.revokedAt && (
          <Button size="compact-xs" variant="subtle" onClick={() => setEditing(true)}>
            {engine.disconnectUrl ? 'Change' : 'Set'}
          </Button>
        )}
        <DisconnectDialog engine={engine} opened={editing} onClose={() => setEditing(false)} />
      </Table.Td>
      <Table.Td>
        {engine.revokedAt ? (
          <Badge color="gray" variant="light">
            Revoked {when(engine.revokedAt)}
          </Badge>
        ) : (
          <Badge color="teal" variant="light">
            Active
          </Badge>
        )}
        {revoke.isError && (
          <Text fz="sm" c="red">
            {revoke.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        {!engine.revokedAt && (
          <Button
            size="xs"
            color="red"
            variant="light"
            loading={revoke.isPending}
            onClick={() => {
              if (window.confirm(`Revoke ${engine.name}? Its key stops working at once.`)) revoke.mutate();
            }}
            aria-label={`Revoke engine ${engine.name}`}
          >
            Revoke
          </Button>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
