import {
  Alert,
  Badge,
  Button,
  Code,
  CopyButton,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, formError } from '../../api';
import { type EngineCreated, type EngineList, type EngineView, enginesKey } from './engines';

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

function EngineRow({ engine }: { engine: EngineView }) {
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
