import { Alert, Badge, Card, Container, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { DevOutbox, OutboxMessage } from '@server/notify/schemas';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { LinkifiedText } from '../components/LinkifiedText';

async function fetchOutbox(to: string): Promise<OutboxMessage[]> {
  const query = to ? `?to=${encodeURIComponent(to)}` : '';
  const response = await fetch(`/dev/outbox${query}`, { headers: { accept: 'application/json' } });
  if (!response.ok) {
    throw new Error(
      response.status === 404
        ? 'The development outbox is only served in development mode, to this machine.'
        : `The outbox could not be read (${response.status}).`,
    );
  }
  return ((await response.json()) as DevOutbox).messages;
}

const channelColors: Record<string, string> = { email: 'indigo', sms: 'teal', voice: 'grape' };

/** The development outbox: every email, SMS and voice message Switchboard sent, newest first. */
export function DevOutboxPage() {
  const [to, setTo] = useState('');
  const [recipient] = useDebouncedValue(to.trim(), 300);
  const outbox = useQuery({
    queryKey: ['dev-outbox', recipient],
    queryFn: () => fetchOutbox(recipient),
    refetchInterval: 2000,
    placeholderData: keepPreviousData,
    retry: false,
  });

  return (
    <Container size="md" py="xl">
      <Stack>
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2}>Development outbox</Title>
            <Text c="dimmed" fz="sm">
              Messages are kept here instead of being sent. This page refreshes every 2 seconds.
            </Text>
          </div>
          <TextInput
            label="Recipient"
            placeholder="email or +phone"
            value={to}
            onChange={(event) => setTo(event.currentTarget.value)}
            w={280}
          />
        </Group>
        {outbox.isError && <Alert color="red">{outbox.error.message}</Alert>}
        {outbox.data?.length === 0 && <Text c="dimmed">No messages yet.</Text>}
        {outbox.data?.map((message) => (
          <Card key={message.id} withBorder padding="md" data-testid="outbox-message">
            <Group justify="space-between" mb={6}>
              <Group gap="xs">
                <Badge color={channelColors[message.channel] ?? 'gray'} variant="light">
                  {message.channel}
                </Badge>
                <Text fw={600} fz="sm">
                  {message.to}
                </Text>
              </Group>
              <Text fz="xs" c="dimmed">
                {new Date(message.createdAt).toLocaleString()} · {message.status}
              </Text>
            </Group>
            {message.subject && (
              <Text fw={500} mb={4}>
                {message.subject}
              </Text>
            )}
            <Text fz="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
              <LinkifiedText text={message.text} />
            </Text>
          </Card>
        ))}
      </Stack>
    </Container>
  );
}
