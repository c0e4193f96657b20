import { Button, Table } from '@mantine/core';
import { Price } from '../Price';
import type { AvailableNumber } from './numbers';
import { servicesOf } from './services';

/** Numbers found by a search, each with its Rent button (disabled while the element `refusedBy` says why). */
export function AvailableNumbersTable({
  numbers,
  renting,
  refusedBy,
  onRent,
}: {
  numbers: AvailableNumber[];
  renting?: string;
  refusedBy?: string;
  onRent: (number: string) => void;
}) {
  return (
    <Table verticalSpacing="xs" fz="sm" aria-label="Available numbers">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Number</Table.Th>
          <Table.Th>Type</Table.Th>
          <Table.Th>Region</Table.Th>
          <Table.Th>Services</Table.Th>
          <Table.Th>Monthly rental</Table.Th>
          <Table.Th aria-label="Actions" />
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {numbers.map((available) => (
          <Table.Tr key={available.number}>
            <Table.Td>+{available.number}</Table.Td>
            <Table.Td>{available.type}</Table.Td>
            <Table.Td>{[available.city, available.region].filter(Boolean).join(', ')}</Table.Td>
            <Table.Td>{servicesOf(available)}</Table.Td>
            <Table.Td>
              <Price amount={available.monthly_rental_rate} />
            </Table.Td>
            <Table.Td>
              <Button
                size="compact-sm"
                aria-label={`Rent ${available.number}`}
                loading={renting === available.number}
                disabled={Boolean(refusedBy) || (Boolean(renting) && renting !== available.number)}
                aria-describedby={refusedBy}
                onClick={() => onRent(available.number)}
              >
                Rent
              </Button>
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
