import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NativeSelect,
  Pagination,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  emptyTransactionFilter,
  filterQuery,
  kindLabels,
  moneyText,
  type TransactionFilter,
  useTransactions,
} from '../components/billing/billing';
import { useFilterDraft } from '../components/filterDraft';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

const pageSizes = ['25', '50', '100', '200'];

/** Billing > Transactions: the account's ledger with the balance, filters, pages and Export CSV. */
export function TransactionsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Billing" title="Transactions" />
      <RoleGate capability="viewBilling" activity="see billing">
        <TransactionList />
      </RoleGate>
    </Stack>
  );
}

/** The filters and page live in the address, so a filtered view can be reloaded and shared. */
function TransactionList() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo<TransactionFilter>(
    () => ({
      kind: params.get('kind') ?? '',
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      subaccount: params.get('subaccount') ?? '',
    }),
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = pageSizes.includes(params.get('limit') ?? '') ? Number(params.get('limit')) : 50;
  const list = useTransactions(filter, page, pageSize);
  const show = (next: TransactionFilter, nextPage = 1, nextSize = pageSize) => {
    const extra: Record<string, string> = {};
    if (nextPage > 1) extra.page = String(nextPage);
    if (nextSize !== 50) extra.limit = String(nextSize);
    setParams(filterQuery(next, extra));
  };
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / pageSize));
  const firstShown = (page - 1) * pageSize + 1;

  return (
    <Stack>
      {list.data && (
        <Card withBorder padding="lg">
          <Text fz="sm" c="dimmed">
            Balance
          </Text>
          <Text
            fz="xl"
            fw={600}
            aria-label="Balance"
            c={list.data.balance.balanceMicros.startsWith('-') ? 'red' : undefined}
          >
            {moneyText(list.data.balance.balanceMicros, list.data.balance.currency)}
          </Text>
        </Card>
      )}
      <Card withBorder padding="lg">
        <Stack>
          <TransactionFilters filter={filter} onApply={(next) => show(next)} />
          {list.isPending && <Loader size="sm" aria-label="Loading" />}
          {list.isError && <QueryError error={list.error} />}
          {list.data && list.data.total === 0 && (
            <Text c="dimmed" fz="sm">
              No transactions match these filters.
            </Text>
          )}
          {list.data && list.data.transactions.length > 0 && (
            <>
              <Table verticalSpacing="xs" fz="sm" aria-label="Transactions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Date</Table.Th>
                    <Table.Th>Kind</Table.Th>
                    <Table.Th>Description</Table.Th>
                    <Table.Th>Subaccount</Table.Th>
                    <Table.Th ta="right">Amount</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.transactions.map((transaction) => (
                    <Table.Tr key={transaction.id}>
                      <Table.Td>{new Date(transaction.createdAt).toLocaleString()}</Table.Td>
                      <Table.Td>
                        <Badge
                          variant="light"
                          color={transaction.amountMicros.startsWith('-') ? 'gray' : 'teal'}
                        >
                          {kindLabels[transaction.kind]}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{transaction.description ?? ''}</Table.Td>
                      <Table.Td>{transaction.subaccount ?? '—'}</Table.Td>
                      <Table.Td ta="right" ff="monospace">
                        {moneyText(transaction.amountMicros, transaction.currency)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
              <Group justify="space-between">
                <Text fz="sm" c="dimmed">
                  {firstShown}–{firstShown + list.data.transactions.length - 1} of {list.data.total}
                </Text>
                <Group>
                  <NativeSelect
                    aria-label="Rows per page"
                    data={pageSizes}
                    value={String(pageSize)}
                    onChange={(event) => show(filter, 1, Number(event.currentTarget.value))}
                  />
                  <Pagination total={pages} value={page} onChange={(next) => show(filter, next)} />
                </Group>
              </Group>
            </>
          )}
        </Stack>
      </Card>
    </Stack>
  );
}

/** Kind, days (the account's time zone) and subaccount, applied together; Export CSV takes the applied ones. */
function TransactionFilters({
  filter,
  onApply,
}: {
  filter: TransactionFilter;
  onApply: (filter: TransactionFilter) => void;
}) {
  const { field, submit } = useFilterDraft(filter, onApply);
  return (
    <form onSubmit={submit} aria-label="Filter transactions">
      <Group align="flex-end" gap="sm">
        <NativeSelect
          label="Kind"
          w={170}
          data={[
            { value: '', label: 'All' },
            ...Object.entries(kindLabels).map(([value, label]) => ({ value, label })),
          ]}
          {...field('kind')}
        />
        <TextInput type="date" label="From" w={160} {...field('from')} />
        <TextInput type="date" label="To" w={160} {...field('to')} />
        <TextInput label="Subaccount" placeholder="SA… Auth ID" w={220} {...field('subaccount')} />
        <Button type="submit">Apply</Button>
        <Button
          variant="default"
          onClick={() => onApply(emptyTransactionFilter)}
          disabled={Object.values(filter).every((value) => value === '')}
        >
          Clear
        </Button>
        <Button
          component="a"
          variant="light"
          href={`/api/billing/transactions.csv?${filterQuery(filter)}`}
          download="transactions.csv"
        >
          Export CSV
        </Button>
      </Group>
    </form>
  );
}
