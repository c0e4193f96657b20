import { Button, Card, Loader, Stack, Table, Text } from '@mantine/core';
import type { Invoice, Invoices } from '@server/modules/billing/invoices-schemas';
import { useQuery } from '@tanstack/react-query';
import { api } from '../api';
import { moneyText } from '../components/billing/billing';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/** "November 2026" of "2026-11". */
function monthName(period: string): string {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, 1)),
  );
}

/** Billing > Invoices: the account's monthly invoices, each a PDF to download. */
export function InvoicesPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Billing" title="Invoices" />
      <RoleGate capability="viewBilling" activity="see invoices">
        <InvoiceList />
      </RoleGate>
    </Stack>
  );
}

function InvoiceList() {
  const list = useQuery({
    queryKey: ['billing', 'invoices'],
    queryFn: () => api.get<Invoices>('/api/billing/invoices'),
  });
  if (list.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (list.isError) return <QueryError error={list.error} />;
  const { invoices, next } = list.data;
  const nextText = `The invoice for ${monthName(next.period)} is issued after the month ends in the account’s time zone, on ${new Date(next.issuedAfter).toLocaleDateString(undefined, { day: 'numeric', month: 'long', year: 'numeric' })}, and emailed to the Owner and Financial Analysts.`;
  return (
    <Card withBorder padding="lg">
      <Stack>
        {invoices.length === 0 ? (
          <Text c="dimmed" fz="sm" aria-label="No invoices yet">
            No invoices yet. {nextText}
          </Text>
        ) : (
          <>
            <Table verticalSpacing="xs" fz="sm" aria-label="Invoices">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Number</Table.Th>
                  <Table.Th>Month</Table.Th>
                  <Table.Th ta="right">Opening balance</Table.Th>
                  <Table.Th ta="right">Credits</Table.Th>
                  <Table.Th ta="right">Charges</Table.Th>
                  <Table.Th ta="right">Closing balance</Table.Th>
                  <Table.Th>Issued</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoices.map((invoice) => (
                  <InvoiceRow key={invoice.id} invoice={invoice} />
                ))}
              </Table.Tbody>
            </Table>
            <Text c="dimmed" fz="sm">
              {nextText} An issued invoice never changes; a correction comes as a new document.
            </Text>
          </>
        )}
      </Stack>
    </Card>
  );
}

function InvoiceRow({ invoice }: { invoice: Invoice }) {
  const money = (micros: string) => moneyText(micros, invoice.currency);
  return (
    <Table.Tr>
      <Table.Td ff="monospace">{invoice.number}</Table.Td>
      <Table.Td>
        {monthName(invoice.period)}{' '}
        <Text span c="dimmed" fz="xs">
          ({invoice.timezone})
        </Text>
      </Table.Td>
      <Table.Td ta="right" ff="monospace">
        {money(invoice.openingMicros)}
      </Table.Td>
      <Table.Td ta="right" ff="monospace">
        {money(invoice.creditsMicros)}
      </Table.Td>
      <Table.Td ta="right" ff="monospace">
        {money(invoice.debitsMicros)}
      </Table.Td>
      <Table.Td ta="right" ff="monospace">
        {money(invoice.closingMicros)}
      </Table.Td>
      <Table.Td>{new Date(invoice.issuedAt).toLocaleDateString()}</Table.Td>
      <Table.Td>
        <Button
          component="a"
          size="xs"
          variant="light"
          href={`/api/billing/invoices/${invoice.id}.pdf`}
          download={`${invoice.number}.pdf`}
          aria-label={`Download ${invoice.number} (PDF)`}
        >
          Download PDF
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
