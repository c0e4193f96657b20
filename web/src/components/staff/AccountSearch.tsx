import { Anchor, Badge, Button, Group, Loader, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { AccountMatch, AccountMatches } from '@server/modules/staff/schemas';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { QueryError } from '../QueryError';
import { CreditDialog } from './CreditDialog';
import { CreditLimitsDialog } from './CreditLimitsDialog';
import { RateLimitsDialog } from './RateLimitsDialog';
import { SsoSwitch } from './SsoSwitch';
import { SuspensionDialog } from './SuspensionDialog';

const statusColors: Record<string, string> = { active: 'teal', under_review: 'yellow', rejected: 'red' };

/** Accounts: find one by Auth ID, name, company, owner email or phone number and open its page; turn its SSO on or off, open its API rate limits, adjust its credit. */
export function AccountSearch() {
  const [text, setText] = useState('');
  const [searched, setSearched] = useState('');
  const [selected, setSelected] = useState<AccountMatch | null>(null);
  const [crediting, setCrediting] = useState<AccountMatch | null>(null);
  const [limiting, setLimiting] = useState<AccountMatch | null>(null);
  const [suspending, setSuspending] = useState<AccountMatch | null>(null);
  const results = useQuery({
    queryKey: ['staff', 'accounts', searched],
    queryFn: () => api.get<AccountMatches>(`/api/staff/accounts?q=${encodeURIComponent(searched)}`),
    enabled: searched.length >= 2,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSearched(text.trim());
  };

  return (
    <Stack>
      <Title order={2} fz="h3">
        Accounts
      </Title>
      <form onSubmit={submit}>
        <Group align="flex-end">
          <TextInput
            label="Find an account"
            description="Auth ID, account or company name, owner email or a rented phone number (at least 2 characters)"
            w={420}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
          />
          <Button type="submit" disabled={text.trim().length < 2}>
            Search
          </Button>
        </Group>
      </form>
      {results.isFetching && <Loader size="sm" aria-label="Loading" />}
      {results.isError && <QueryError error={results.error} />}
      {results.data?.accounts.length === 0 && <Text c="dimmed">No account matches “{searched}”.</Text>}
      {results.data && results.data.accounts.length > 0 && (
        <Table verticalSpacing="xs" fz="sm" aria-label="Accounts found">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Account</Table.Th>
              <Table.Th>Auth ID</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>SSO</Table.Th>
              <Table.Th aria-label="Actions" />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {results.data.accounts.map((account) => (
              <Table.Tr key={account.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/staff/accounts/${account.id}`}>
                    {account.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>{account.authId}</Table.Td>
                <Table.Td>{account.ownerEmail}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={statusColors[account.status] ?? 'gray'}>
                    {account.status.replace(/_/g, ' ')}
                  </Badge>
                </Table.Td>
                <Table.Td>{new Date(account.createdAt).toLocaleDateString()}</Table.Td>
                <Table.Td>
                  <SsoSwitch account={account} />
                </Table.Td>
                <Table.Td ta="right">
                  <Group gap="xs" justify="flex-end" wrap="nowrap">
                    <Button size="compact-sm" variant="light" onClick={() => setSelected(account)}>
                      Rate limits
                    </Button>
                    {(account.status === 'active' || account.status === 'suspended') && (
                      <Button
                        size="compact-sm"
                        variant="light"
                        color={account.status === 'suspended' ? 'teal' : 'red'}
                        onClick={() => setSuspending(account)}
                      >
                        {account.status === 'suspended' ? 'Reinstate' : 'Suspend'}
                      </Button>
                    )}
                    <Button size="compact-sm" variant="light" onClick={() => setLimiting(account)}>
                      Credit limits
                    </Button>
                    <Button size="compact-sm" variant="light" onClick={() => setCrediting(account)}>
                      Adjust credit
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <RateLimitsDialog account={selected} onClose={() => setSelected(null)} />
      <CreditDialog account={crediting} onClose={() => setCrediting(null)} />
      <CreditLimitsDialog account={limiting} onClose={() => setLimiting(null)} />
      <SuspensionDialog account={suspending} onClose={() => setSuspending(null)} />
    </Stack>
  );
}
