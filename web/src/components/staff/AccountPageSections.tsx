import { Badge, Group, Paper, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import type { StaffAccountPageView } from '@server/modules/staff/account-page-schemas';
import type { ReactNode } from 'react';
import { kindLabels, moneyText } from '../billing/billing';
import { UsageChart } from '../usage/UsageChart';

type Page = StaffAccountPageView;
type Actor = Page['audit'][number]['by'];

export const statusColors: Record<string, string> = {
  active: 'teal',
  under_review: 'yellow',
  pending_verification: 'gray',
  rejected: 'red',
  suspended: 'red',
  closed: 'dark',
};

export const statusText = (status: string) => status.replace(/_/g, ' ');
const when = (at: string | null) => (at ? new Date(at).toLocaleString() : '—');
const day = (at: string | null) => (at ? new Date(at).toLocaleDateString() : '—');
const actorText = (by: Actor) =>
  by.kind === 'staff'
    ? `${by.name} (staff)`
    : by.kind === 'member'
      ? (by.email ?? 'a member')
      : 'Switchboard';

/** One section of the page: a heading, an optional note on the right, the content. */
export function Section({ title, note, children }: { title: string; note?: ReactNode; children: ReactNode }) {
  return (
    <Paper withBorder p="md" component="section" aria-label={title}>
      <Group justify="space-between" mb="sm">
        <Title order={3} fz="h4">
          {title}
        </Title>
        {note && (
          <Text fz="xs" c="dimmed">
            {note}
          </Text>
        )}
      </Group>
      {children}
    </Paper>
  );
}

const Empty = ({ children }: { children: ReactNode }) => (
  <Text fz="sm" c="dimmed">
    {children}
  </Text>
);

/** Overview: the account's facts, the inactivity flag, and its status changes as a timeline. */
export function Overview({ page }: { page: Page }) {
  const { account } = page;
  const facts: [string, ReactNode][] = [
    ['Company', account.businessProfile?.companyName ?? '—'],
    ['Website', account.businessProfile?.website || '—'],
    ['Country', account.businessProfile?.country || '—'],
    ['Created', when(account.createdAt)],
    ['Activated', when(account.activatedAt)],
    ['Last active', when(account.lastActiveAt)],
    ['Time zone', account.timezone],
    ['Sign-up IP', account.signupIp ?? '—'],
  ];
  return (
    <Section title="Overview">
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
        <Stack gap={4}>
          {facts.map(([label, value]) => (
            <Group key={label} gap="xs" wrap="nowrap">
              <Text fz="sm" c="dimmed" w={110}>
                {label}
              </Text>
              <Text fz="sm">{value}</Text>
            </Group>
          ))}
          {account.inactivity.flaggedAt ? (
            <Badge color="orange" variant="light" mt="xs">
              Inactive: payment methods removed {day(account.inactivity.flaggedAt)}
            </Badge>
          ) : account.inactivity.warnedAt ? (
            <Badge color="yellow" variant="light" mt="xs">
              Inactivity warning sent {day(account.inactivity.warnedAt)}
            </Badge>
          ) : null}
        </Stack>
        <div>
          <Text fz="sm" fw={600} mb="xs">
            Lifecycle history
          </Text>
          {page.statusHistory.length === 0 ? (
            <Empty>No status change yet.</Empty>
          ) : (
            <Timeline bulletSize={12} lineWidth={2} aria-label="Lifecycle history">
              {page.statusHistory.map((change) => (
                <Timeline.Item
                  key={`${change.at}-${change.action}`}
                  title={
                    change.from && change.to
                      ? `${statusText(change.from)} → ${statusText(change.to)}`
                      : change.action
                  }
                >
                  <Text fz="xs" c="dimmed">
                    {when(change.at)} · {actorText(change.by)}
                  </Text>
                  {change.reason && <Text fz="sm">{change.reason}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          )}
        </div>
      </SimpleGrid>
      {page.suspensions.length > 0 && (
        <Table mt="md" fz="sm" aria-label="Suspensions">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Suspended</Table.Th>
              <Table.Th>Reason</Table.Th>
              <Table.Th>Details</Table.Th>
              <Table.Th>Reinstatement request</Table.Th>
              <Table.Th>Ended</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.suspensions.map((s) => (
              <Table.Tr key={s.suspendedAt}>
                <Table.Td>{when(s.suspendedAt)}</Table.Td>
                <Table.Td>{statusText(s.reason)}</Table.Td>
                <Table.Td>{s.details}</Table.Td>
                <Table.Td>
                  {s.reinstatementRequest ?? '—'}
                  {s.reinstatementTicket && ` (ticket ${s.reinstatementTicket})`}
                </Table.Td>
                <Table.Td>{s.endedAt ? `${when(s.endedAt)}: ${s.endNote ?? ''}` : 'ongoing'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function Members({ page }: { page: Page }) {
  return (
    <Section title="Members">
      <Table fz="sm" aria-label="Members">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Role</Table.Th>
            <Table.Th>Two-factor</Table.Th>
            <Table.Th>Last sign-in</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {page.members.map((m) => {
            const factors = [m.twoFactor.phone && 'phone', m.twoFactor.authenticatorApp && 'app'].filter(
              Boolean,
            );
            return (
              <Table.Tr key={m.userId}>
                <Table.Td>{m.name}</Table.Td>
                <Table.Td>{m.email}</Table.Td>
                <Table.Td>{statusText(m.role)}</Table.Td>
                <Table.Td>{factors.length ? factors.join(', ') : 'none'}</Table.Td>
                <Table.Td>{when(m.lastSignInAt)}</Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

export function BalanceAndLedger({ page }: { page: Page }) {
  return (
    <Section
      title="Balance & ledger"
      note={`latest ${Math.min(page.latest.ledgerEntries, page.ledger.total)} of ${page.ledger.total} entries`}
    >
      <Group gap="xl" mb="sm">
        <div>
          <Text fz="xs" c="dimmed">
            Balance
          </Text>
          <Text fz="xl" fw={700} data-testid="account-balance">
            {moneyText(page.balance.balanceMicros, page.balance.currency)}
          </Text>
        </div>
      </Group>
      {page.ledger.entries.length === 0 ? (
        <Empty>No ledger entry yet.</Empty>
      ) : (
        <Table fz="sm" aria-label="Ledger entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Kind</Table.Th>
              <Table.Th>Description</Table.Th>
              <Table.Th>By</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.ledger.entries.map((entry) => (
              <Table.Tr key={entry.id}>
                <Table.Td>{when(entry.createdAt)}</Table.Td>
                <Table.Td>{kindLabels[entry.kind]}</Table.Td>
                <Table.Td>{entry.description ?? ''}</Table.Td>
                <Table.Td>{entry.by}</Table.Td>
                <Table.Td ta="right">{moneyText(entry.amountMicros, entry.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function Usage({ page }: { page: Page }) {
  const { usage } = page;
  return (
    <Section title="Usage" note={`${usage.from} – ${usage.to}, subaccounts included`}>
      <UsageChart summary={usage} />
      {usage.products.length === 0 ? (
        <Empty>No usage in the last 30 days.</Empty>
      ) : (
        <Table fz="sm" mt="sm" aria-label="Usage by product">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Product</Table.Th>
              <Table.Th ta="right">Events</Table.Th>
              <Table.Th ta="right">Quantity</Table.Th>
              <Table.Th ta="right">Amount</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {usage.products.map((p) => (
              <Table.Tr key={p.product}>
                <Table.Td>{p.product}</Table.Td>
                <Table.Td ta="right">{p.events}</Table.Td>
                <Table.Td ta="right">
                  {p.quantity} {p.unit}
                </Table.Td>
                <Table.Td ta="right">
                  {p.amount} {usage.currency}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function Numbers({ page }: { page: Page }) {
  const { numbers } = page;
  return (
    <Section title="Numbers" note={`${numbers.total} rented`}>
      {numbers.numbers.length === 0 ? (
        <Empty>No rented number.</Empty>
      ) : (
        <Table fz="sm" aria-label="Rented numbers">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Number</Table.Th>
              <Table.Th>Country</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Subaccount</Table.Th>
              <Table.Th>Renews</Table.Th>
              <Table.Th ta="right">Monthly</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {numbers.numbers.map((n) => (
              <Table.Tr key={n.number}>
                <Table.Td>+{n.number}</Table.Td>
                <Table.Td>{n.countryIso}</Table.Td>
                <Table.Td>{n.type}</Table.Td>
                <Table.Td>{n.subaccount ?? '—'}</Table.Td>
                <Table.Td>{n.renewalDate ?? '—'}</Table.Td>
                <Table.Td ta="right">{moneyText(n.monthlyRentalMicros, page.account.currency)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function Tickets({ page }: { page: Page }) {
  return (
    <Section title="Tickets" note={`latest ${page.latest.tickets}`}>
      {page.tickets.length === 0 ? (
        <Empty>No ticket from this account.</Empty>
      ) : (
        <Table fz="sm" aria-label="Tickets">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Ticket</Table.Th>
              <Table.Th>Subject</Table.Th>
              <Table.Th>Priority</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Opened</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {page.tickets.map((t) => (
              <Table.Tr key={t.number}>
                <Table.Td>{t.number}</Table.Td>
                <Table.Td>{t.subject}</Table.Td>
                <Table.Td>{t.priority}</Table.Td>
                <Table.Td>
                  {statusText(t.status)}
                  {t.overdue && (
                    <Badge color="red" variant="light" ml="xs">
                      overdue
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{when(t.createdAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

export function AuditTrail({ page }: { page: Page }) {
  return (
    <Section title="Audit trail" note={`latest ${page.latest.auditEvents} events`}>
      <Table fz="sm" aria-label="Audit events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>IP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {page.audit.map((event) => (
            <Table.Tr key={event.id}>
              <Table.Td>{when(event.at)}</Table.Td>
              <Table.Td>{event.action}</Table.Td>
              <Table.Td>{actorText(event.by)}</Table.Td>
              <Table.Td>{event.ip ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Section>
  );
}

export function EngineSessions({ page }: { page: Page }) {
  const { engineSessions } = page;
  return (
    <Section title="Engine sessions">
      <Text fz="sm">
        {engineSessions.open} open, holding {moneyText(engineSessions.heldMicros, engineSessions.currency)}
      </Text>
    </Section>
  );
}
