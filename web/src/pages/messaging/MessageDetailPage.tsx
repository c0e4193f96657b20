import {
  Anchor,
  Button,
  Card,
  Code,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useAccess } from '../../access';
import { FormAlert } from '../../components/FormAlert';
import { PageTitle } from '../../components/PageTitle';
import { Price } from '../../components/Price';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { MessageStateBadge } from './MessageStateBadge';
import { isInFlight, type TimelineEvent, useCancelMessage, useMessage } from './messaging';

/** Messaging > Logs > a message: what was sent, what it cost, and each state it reached with when and why. */
export function MessageDetailPage() {
  const { messageUuid = '' } = useParams();
  return (
    <Stack maw={1000} gap="lg">
      <PageTitle section="Messaging › Logs" title="Message" />
      <Anchor component={Link} to="/messaging/logs" fz="sm">
        ← All messages
      </Anchor>
      <RoleGate capability="readMessageLogs" activity="read the message logs">
        <MessageDetail uuid={messageUuid} />
      </RoleGate>
    </Stack>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm" component="div">
        {children}
      </Text>
    </div>
  );
}

const time = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

function MessageDetail({ uuid }: { uuid: string }) {
  const message = useMessage(uuid);
  if (message.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (message.isError) return <QueryError error={message.error} />;
  const m = message.data;
  return (
    <>
      <Card withBorder padding="lg">
        <Stack>
          <Group justify="space-between">
            <Code>{m.uuid}</Code>
            <Group gap="xs" aria-label="State">
              <MessageStateBadge state={m.state} />
              {isInFlight(m.state) && <Loader size="xs" aria-label="Waiting for the next state" />}
            </Group>
          </Group>
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            <Field label="From">{m.from}</Field>
            <Field label="To">{m.to}</Field>
            <Field label="Direction">{m.direction === 'outbound' ? 'Outbound' : 'Inbound'}</Field>
            <Field label="Account">{m.subaccount ? <Code>{m.subaccount}</Code> : 'Main account'}</Field>
            <Field label="Created">{time(m.createdAt)}</Field>
            <Field label="Sent">{time(m.sentAt)}</Field>
            {m.sendAt && <Field label="Scheduled for">{time(m.sendAt)}</Field>}
            <Field label="Segments">
              {m.units} ({m.encoding === 'UCS2' ? 'Unicode' : 'GSM-7'})
            </Field>
            <Field label="Rate per segment">
              <Price amount={m.rate} />
            </Field>
            <Field label="Amount">
              <Price amount={m.amount} />
            </Field>
            <Field label="Destination country">{m.country || '—'}</Field>
            {m.errorCode !== null && <Field label="Error code">{m.errorCode}</Field>}
          </SimpleGrid>
          <Field label="Text">
            {m.text === null ? (
              <Text fz="sm" c="dimmed">
                Not kept: sent with log=false
              </Text>
            ) : (
              <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {m.text}
              </Text>
            )}
          </Field>
          {m.callbackUrl && <Field label="Status callbacks to">{m.callbackUrl}</Field>}
          {m.state === 'scheduled' && <CancelScheduled uuid={m.uuid} />}
        </Stack>
      </Card>
      <Card withBorder padding="lg">
        <Stack>
          <Title order={3} fz="h4">
            Delivery timeline
          </Title>
          <DeliveryTimeline events={m.timeline} />
        </Stack>
      </Card>
    </>
  );
}

/** A scheduled message holds no credit yet: canceled, it is never sent (roles that may send). */
function CancelScheduled({ uuid }: { uuid: string }) {
  const access = useAccess();
  const cancel = useCancelMessage(uuid);
  if (!access.can('sendMessages')) return null;
  return (
    <Stack gap="xs">
      <FormAlert error={cancel.error} />
      <Group>
        <Button variant="default" color="red" loading={cancel.isPending} onClick={() => cancel.mutate()}>
          Cancel scheduled message
        </Button>
      </Group>
    </Stack>
  );
}

/** Each state the message reached, oldest first, with its time, error code and why. */
function DeliveryTimeline({ events }: { events: TimelineEvent[] }) {
  return (
    <Timeline active={events.length - 1} bulletSize={14} lineWidth={2} aria-label="Delivery timeline">
      {events.map((event) => (
        <Timeline.Item key={`${event.state} ${event.at}`} title={event.state}>
          <Text fz="xs" c="dimmed">
            {new Date(event.at).toLocaleString()}
          </Text>
          {event.detail && <Text fz="sm">{event.detail}</Text>}
          {event.errorCode !== null && <Text fz="sm">Error code {event.errorCode}</Text>}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
