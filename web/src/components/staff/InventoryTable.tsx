import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Loader,
  Pagination,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { CountrySelect } from '../CountrySelect';
import { type Inventory, inventoryKey, rentalText } from './inventory';

const PAGE_SIZE = 25;
const types = [
  { value: 'local', label: 'Local' },
  { value: 'tollfree', label: 'Toll-free' },
  { value: 'mobile', label: 'Mobile' },
];
const states = [
  { value: 'all', label: 'All' },
  { value: 'rented', label: 'Rented' },
  { value: 'unrented', label: 'Unrented' },
];

type InventoryNumber = Inventory['numbers'][number];

/** The whole inventory with who rents what: filters, pages, and removing a number nobody rents. */
export function InventoryTable() {
  const [country, setCountry] = useState<string | null>(null);
  const [type, setType] = useState<string | null>(null);
  const [state, setState] = useState('all');
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [page, setPage] = useState(1);
  const [removing, setRemoving] = useState<InventoryNumber | null>(null);
  const query = new URLSearchParams({
    state,
    limit: String(PAGE_SIZE),
    offset: String((page - 1) * PAGE_SIZE),
    ...(country ? { country } : {}),
    ...(type ? { type } : {}),
    ...(q ? { q } : {}),
  }).toString();
  const inventory = useQuery({
    queryKey: [...inventoryKey, query],
    queryFn: () => api.get<Inventory>(`/api/staff/numbers?${query}`),
    placeholderData: keepPreviousData,
  });
  // A new filter starts again from the first page.
  const filtered =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPage(1);
    };
  const pages = Math.max(1, Math.ceil((inventory.data?.total ?? 0) / PAGE_SIZE));

  return (
    <Stack>
      <Group align="flex-end">
        <CountrySelect
          clearable
          placeholder="Any country"
          value={country}
          onChange={filtered(setCountry)}
          w={220}
        />
        <Select
          label="Type"
          placeholder="Any type"
          clearable
          data={types}
          value={type}
          onChange={filtered(setType)}
          w={150}
        />
        <SegmentedControl
          aria-label="Rented or not"
          data={states}
          value={state}
          onChange={filtered(setState)}
        />
        <TextInput
          label="Search"
          placeholder="Digits, account name or Auth ID"
          value={search}
          onChange={(event) => filtered(setSearch)(event.currentTarget.value)}
          w={260}
        />
      </Group>
      {inventory.isPending && <Loader size="sm" aria-label="Loading" />}
      {inventory.isError && <Alert color="red">{inventory.error.message}</Alert>}
      {inventory.data?.total === 0 && <Text c="dimmed">No numbers match.</Text>}
      {inventory.data && inventory.data.numbers.length > 0 && (
        <>
          <Table.ScrollContainer minWidth={800}>
            <Table striped verticalSpacing="xs" fz="sm" aria-label="Number inventory">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Number</Table.Th>
                  <Table.Th>Country</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Region</Table.Th>
                  <Table.Th ta="right">Monthly rental</Table.Th>
                  <Table.Th>Rented by</Table.Th>
                  <Table.Th>Since</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {inventory.data.numbers.map((entry) => (
                  <Table.Tr key={entry.number}>
                    <Table.Td ff="monospace">+{entry.number}</Table.Td>
                    <Table.Td>{entry.countryIso}</Table.Td>
                    <Table.Td>{types.find((t) => t.value === entry.type)?.label ?? entry.type}</Table.Td>
                    <Table.Td>{entry.city ? `${entry.city}, ${entry.region}` : entry.region}</Table.Td>
                    <Table.Td ta="right">{rentalText(entry.monthlyRental)}</Table.Td>
                    <Table.Td>
                      {entry.account ? (
                        <>
                          <Anchor component={Link} to={`/staff/accounts/${entry.account.id}`}>
                            {entry.account.name}
                          </Anchor>
                          <Text fz="xs" c="dimmed">
                            {entry.account.authId}
                            {entry.subaccount && ` · subaccount ${entry.subaccount}`}
                          </Text>
                        </>
                      ) : (
                        <Badge color="gray" variant="light">
                          Unrented
                        </Badge>
                      )}
                    </Table.Td>
                    <Table.Td>{entry.rentedSince ?? '—'}</Table.Td>
                    <Table.Td>
                      {!entry.account && (
                        <Button
                          size="xs"
                          color="red"
                          variant="light"
                          onClick={() => setRemoving(entry)}
                          aria-label={`Remove +${entry.number}`}
                        >
                          Remove
                        </Button>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Group justify="space-between">
            <Text fz="sm" c="dimmed">
              {inventory.data.total === 1 ? '1 number' : `${inventory.data.total} numbers`}
            </Text>
            <Pagination total={pages} value={page} onChange={setPage} />
          </Group>
        </>
      )}
      <ConfirmDeleteDialog
        title="Remove from the inventory"
        opened={removing !== null}
        onClose={() => setRemoving(null)}
        remove={() => api.delete(`/api/staff/numbers/${removing?.number}`)}
        invalidates={[inventoryKey]}
        confirmLabel="Remove"
      >
        +{removing?.number} will no longer be offered to customers. Load it again from a CSV to offer it
        again.
      </ConfirmDeleteDialog>
    </Stack>
  );
}
