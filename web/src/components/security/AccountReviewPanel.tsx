import { Anchor, Badge, Button, Stack, Table, Text, Title } from '@mantine/core';
import type { AccountReview } from '@server/modules/account-security/schemas';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { roleNames } from '../../roles';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';

const when = (at: string) => new Date(at).toLocaleString();

/** What to review after securing the account, in the FAQ's order, with Remove beside each member. */
export function AccountReviewPanel({ review }: { review: AccountReview }) {
  const [removing, setRemoving] = useState<AccountReview['members'][number] | null>(null);
  const [removed, setRemoved] = useState<string[]>([]);
  return (
    <Stack mt="md" gap="md">
      <section>
        <Title order={4} fz="sm">
          1. Recent sign-ins (30 days)
        </Title>
        {review.signIns.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No sign-ins.
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Place (address)</Table.Th>
                <Table.Th>Device</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {review.signIns.map((s) => (
                <Table.Tr key={`${s.at}${s.email}${s.place}`}>
                  <Table.Td>{when(s.at)}</Table.Td>
                  <Table.Td>{s.email ?? '—'}</Table.Td>
                  <Table.Td>{s.place ?? '—'}</Table.Td>
                  <Table.Td>{s.device}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section>
        <Title order={4} fz="sm">
          2. Payment receipts (30 days)
        </Title>
        {review.receipts.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No payments.
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={4}>
            <Table.Tbody>
              {review.receipts.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Td>{when(r.at)}</Table.Td>
                  <Table.Td>
                    {r.amount} {r.currency} {r.reversed && <Badge color="gray">reversed</Badge>}
                  </Table.Td>
                  <Table.Td>{r.card ?? '—'}</Table.Td>
                  <Table.Td>
                    <Anchor href={`/api/billing/payments/${r.id}/receipt.pdf`} target="_blank">
                      Receipt #{r.number}
                    </Anchor>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </section>
      <section>
        <Title order={4} fz="sm">
          3. Usage ({review.usage.from} to {review.usage.to})
        </Title>
        {review.usage.days.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No usage.
          </Text>
        ) : (
          <Table fz="sm" verticalSpacing={4}>
            <Table.Tbody>
              {review.usage.days.map((d) => (
                <Table.Tr key={d.day}>
                  <Table.Td>{d.day}</Table.Td>
                  <Table.Td>{d.events} events</Table.Td>
                  <Table.Td>
                    {d.amount} {review.usage.currency}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Anchor component={Link} to="/billing/usage" fz="sm">
          Open Usage Summary
        </Anchor>
      </section>
      <section>
        <Title order={4} fz="sm">
          4. Team changes (30 days) and members
        </Title>
        {review.teamChanges.map((c) => (
          <Text fz="sm" key={`${c.at}${c.action}${c.summary}`}>
            {when(c.at)}: {c.summary}
            {c.byEmail ? ` — by ${c.byEmail}` : ''}
          </Text>
        ))}
        <Table fz="sm" verticalSpacing={4} mt="xs">
          <Table.Tbody>
            {review.members
              .filter((m) => !removed.includes(m.userId))
              .map((m) => (
                <Table.Tr key={m.userId}>
                  <Table.Td>{m.name}</Table.Td>
                  <Table.Td>{m.email}</Table.Td>
                  <Table.Td>{roleNames[m.role]}</Table.Td>
                  <Table.Td>
                    {m.role !== 'owner' && (
                      <Button size="compact-xs" color="red" variant="light" onClick={() => setRemoving(m)}>
                        Remove
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
          </Table.Tbody>
        </Table>
      </section>
      <section>
        <Title order={4} fz="sm">
          5. Contact support
        </Title>
        <Anchor component={Link} to={review.supportUrl} fz="sm">
          Open a support ticket
        </Anchor>
      </section>
      <ConfirmDeleteDialog
        title="Remove member?"
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        confirmLabel="Remove"
        invalidates={[['team']]}
        remove={async () => {
          if (!removing) return;
          await api.delete(`/api/team/members/${removing.userId}`);
          setRemoved((list) => [...list, removing.userId]);
        }}
      >
        <Text fz="sm">
          {removing?.name} ({removing?.email}) loses access to this account at once.
        </Text>
      </ConfirmDeleteDialog>
    </Stack>
  );
}
