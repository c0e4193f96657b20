import { Code, Table, Text } from '@mantine/core';
import { Price } from '../Price';
import type { UsageSummary } from './usage';

const productNames: Record<string, string> = { voice: 'Voice', sms: 'SMS', mms: 'MMS', numbers: 'Numbers' };

/** Totals by product and subaccount (the main account's first), and the grand total. */
export function UsageTable({ summary }: { summary: UsageSummary }) {
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped verticalSpacing="xs" fz="sm" aria-label="Usage by product and subaccount">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Product</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th ta="right">Events</Table.Th>
            <Table.Th ta="right">Quantity</Table.Th>
            <Table.Th ta="right">Amount</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {summary.lines.map((line) => (
            <Table.Tr key={`${line.product}:${line.subaccount?.authId ?? ''}`}>
              <Table.Td>{productNames[line.product] ?? line.product}</Table.Td>
              <Table.Td>
                {line.subaccount ? (
                  <>
                    {line.subaccount.name} <Code fz="xs">{line.subaccount.authId}</Code>
                  </>
                ) : (
                  'Main account'
                )}
              </Table.Td>
              <Table.Td ta="right">{line.events}</Table.Td>
              <Table.Td ta="right">
                {line.quantity} {line.unit}
              </Table.Td>
              <Table.Td ta="right">
                <Price amount={line.amount} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
        <Table.Tfoot>
          <Table.Tr>
            <Table.Th>Total</Table.Th>
            <Table.Th />
            <Table.Th ta="right">{summary.total.events}</Table.Th>
            <Table.Th />
            <Table.Th ta="right">
              <Text fw={700} fz="sm" span>
                <Price amount={summary.total.amount} />
              </Text>
            </Table.Th>
          </Table.Tr>
        </Table.Tfoot>
      </Table>
    </Table.ScrollContainer>
  );
}
