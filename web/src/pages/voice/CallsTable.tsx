import { Anchor, Code, Table } from '@mantine/core';
import { Fragment } from 'react';
import { Link } from 'react-router';
import { Price } from '../../components/Price';
import { CallDuration } from './CallDuration';
import { CallStateBadge } from './CallStateBadge';
import type { ConsoleCall } from './calls';
import { useHangUpDialog } from './HangUp';

const nowrap = { whiteSpace: 'nowrap' } as const;
/** The hang-up column stays in view when a narrow screen scrolls the table sideways. */
const stickyRight = {
  ...nowrap,
  position: 'sticky',
  right: 0,
  background: 'var(--mantine-color-body)',
} as const;

/** When a call started: its time when that was today, with the date otherwise. */
function startedAt(at: string) {
  const started = new Date(at);
  return started.toDateString() === new Date().toDateString()
    ? started.toLocaleTimeString()
    : started.toLocaleString([], { dateStyle: 'short', timeStyle: 'medium' });
}

/** A hangup cause such as NORMAL_CLEARING, allowed to break after its underscores in a narrow column. */
function HangupCause({ cause }: { cause: string | null }) {
  if (!cause) return '—';
  return cause.split('_').map((part, index, parts) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
    <Fragment key={index}>
      {part}
      {index < parts.length - 1 && (
        <>
          _<wbr />
        </>
      )}
    </Fragment>
  ));
}

/**
 * One page of calls, newest first; the time opens the call. All calls show what each cost and why it
 * ended; the live calls show instead how long each has talked, with "Hang up" for roles that may.
 */
export function CallsTable({ calls, live }: { calls: ConsoleCall[]; live: boolean }) {
  const hangUp = useHangUpDialog();
  return (
    <>
      <Table.ScrollContainer minWidth={860}>
        <Table
          striped
          verticalSpacing="xs"
          horizontalSpacing={8}
          fz="sm"
          aria-label={live ? 'Live calls' : 'Calls'}
        >
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Time</Table.Th>
              <Table.Th>Direction</Table.Th>
              <Table.Th>From</Table.Th>
              <Table.Th>To</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th ta="right">Duration</Table.Th>
              {!live && <Table.Th ta="right">Amount</Table.Th>}
              {!live && <Table.Th>Hangup cause</Table.Th>}
              <Table.Th>Account</Table.Th>
              {live && hangUp.allowed && <Table.Th aria-label="Actions" style={stickyRight} />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {calls.map((call) => (
              <Table.Tr key={call.uuid}>
                <Table.Td style={nowrap}>
                  <Anchor
                    component={Link}
                    to={`/voice/calls/${call.uuid}`}
                    fz="sm"
                    aria-label={`Call to ${call.to} at ${new Date(call.initiatedAt).toLocaleString()}`}
                    title={new Date(call.initiatedAt).toLocaleString()}
                  >
                    {startedAt(call.initiatedAt)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{call.direction === 'outbound' ? 'Outbound' : 'Inbound'}</Table.Td>
                <Table.Td ff="monospace" fz="xs" style={nowrap}>
                  {call.from}
                </Table.Td>
                <Table.Td ff="monospace" fz="xs" style={nowrap}>
                  {call.to}
                </Table.Td>
                <Table.Td style={nowrap}>
                  <CallStateBadge state={call.state} />
                </Table.Td>
                <Table.Td ta="right">
                  <CallDuration call={call} />
                </Table.Td>
                {!live && (
                  <Table.Td ta="right">
                    {call.state === 'completed' ? <Price amount={call.amount} /> : '—'}
                  </Table.Td>
                )}
                {!live && (
                  <Table.Td>
                    <HangupCause cause={call.hangupCause} />
                  </Table.Td>
                )}
                <Table.Td>
                  {call.subaccount ? <Code fz="xs">{call.subaccount}</Code> : 'Main account'}
                </Table.Td>
                {live && hangUp.allowed && <Table.Td style={stickyRight}>{hangUp.button(call)}</Table.Td>}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {hangUp.dialog}
    </>
  );
}
