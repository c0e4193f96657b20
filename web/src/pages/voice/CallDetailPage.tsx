import { Anchor, Card, Code, Group, Loader, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { PageTitle } from '../../components/PageTitle';
import { Price } from '../../components/Price';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { CallDuration } from './CallDuration';
import { CallStateBadge } from './CallStateBadge';
import { formatDuration, isLive, useCall } from './calls';
import { useHangUpDialog } from './HangUp';

/** Voice > Calls > a call: who called whom, when it was answered and ended, why, and what it cost. */
export function CallDetailPage() {
  const { callUuid = '' } = useParams();
  return (
    <Stack maw={1000} gap="lg">
      <PageTitle section="Voice › Calls" title="Call" />
      <Anchor component={Link} to="/voice/calls" fz="sm">
        ← All calls
      </Anchor>
      <RoleGate capability="readCallLogs" activity="read the call logs">
        <CallDetail uuid={callUuid} />
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
      <Text fz="sm" component="div" style={{ wordBreak: 'break-all' }}>
        {children}
      </Text>
    </div>
  );
}

const time = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');

/** Who ended the call, in words. */
const endedBy: Record<string, string> = { caller: 'the caller', callee: 'the callee' };

function CallDetail({ uuid }: { uuid: string }) {
  const call = useCall(uuid);
  const hangUp = useHangUpDialog();
  if (call.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (call.isError) return <QueryError error={call.error} />;
  const c = call.data;
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Group justify="space-between">
          <Code>{c.uuid}</Code>
          <Group gap="xs" aria-label="State">
            <CallStateBadge state={c.state} />
            {isLive(c.state) && <Loader size="xs" aria-label="Waiting for the call to end" />}
          </Group>
        </Group>
        <SimpleGrid cols={{ base: 2, sm: 4 }}>
          <Field label="From">{c.from}</Field>
          <Field label="To">{c.to}</Field>
          <Field label="Direction">{c.direction === 'outbound' ? 'Outbound' : 'Inbound'}</Field>
          <Field label="Account">{c.subaccount ? <Code>{c.subaccount}</Code> : 'Main account'}</Field>
          <Field label="Started">{time(c.initiatedAt)}</Field>
          <Field label="Answered">
            {c.answeredAt ? time(c.answeredAt) : c.endedAt ? 'Not answered' : '—'}
          </Field>
          <Field label="Ended">{time(c.endedAt)}</Field>
          <Field label="Duration">
            <CallDuration call={c} />
          </Field>
          <Field label="Billed">{c.billedSeconds === null ? '—' : formatDuration(c.billedSeconds)}</Field>
          <Field label="Rate per minute">{isLive(c.state) ? '—' : <Price amount={c.rate} />}</Field>
          <Field label="Amount">{isLive(c.state) ? '—' : <Price amount={c.amount} />}</Field>
          <Field label="Routed to">
            {c.route === 'endpoint' ? 'A SIP endpoint' : 'The telephone network'}
          </Field>
          <Field label="Hangup cause">{c.hangupCause ?? '—'}</Field>
          <Field label="Ended by">{c.hangupSource ? (endedBy[c.hangupSource] ?? c.hangupSource) : '—'}</Field>
          {c.sipCode !== null && <Field label="SIP response">{c.sipCode}</Field>}
        </SimpleGrid>
        {isLive(c.state) && <Group>{hangUp.button(c, 'sm')}</Group>}
        {hangUp.dialog}
      </Stack>
    </Card>
  );
}
