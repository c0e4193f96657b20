import {
  Alert,
  Button,
  FileButton,
  Group,
  List,
  Loader,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import type { PriceDecks as PriceDeckList, PriceDeckLoaded } from '@server/modules/billing/price-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, formError } from '../../api';

const decksKey = ['staff', 'price-decks'] as const;
const example =
  'country_iso,product,direction,number_type,prefix,rate,connect_fee,initial_increment,subsequent_increment,effective_from\nUS,voice,outbound,,,0.012,,60,60,\nUS,voice,outbound,,1808,0.034,,60,60,\nUS,sms,outbound,,,0.0065,,,,';
const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

/** Staff > Prices: load a price deck (the CSV `switchboard prices load` reads) and see the decks loaded. */
export function PriceDecks() {
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const decks = useQuery({ queryKey: decksKey, queryFn: () => api.get<PriceDeckList>('/api/staff/prices') });
  const load = useMutation({
    mutationFn: () => api.post<PriceDeckLoaded>('/api/staff/prices', { csv }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: decksKey }),
  });
  const readFile = async (file: File | null) => {
    if (file) setCsv(await file.text());
  };
  const problems = load.error instanceof ApiError ? load.error.errors.map((problem) => problem.message) : [];

  return (
    <Stack maw={960}>
      <Title order={2} fz="h3">
        Prices
      </Title>
      <Text c="dimmed" size="sm">
        Paste or choose a price deck (CSV with a header line); every line is checked first and nothing is
        loaded unless all are good. Columns: country_iso, product (voice, sms, mms), direction (outbound,
        inbound), rate (per minute for voice, per segment for messages), and optionally number_type (local,
        tollfree, mobile, ip; empty: any), prefix (destination digits, country code first; empty: the country
        default), connect_fee, initial_increment and subsequent_increment (voice, seconds, default 60/60) and
        effective_from (an ISO time; empty: now). A later effective_from replaces an earlier row from that
        time.
      </Text>
      <Textarea
        label="Price deck (CSV)"
        placeholder={example}
        autosize
        minRows={6}
        maxRows={16}
        value={csv}
        onChange={(event) => setCsv(event.currentTarget.value)}
        ff="monospace"
      />
      {load.isError && (
        <Alert color="red" title="No prices were loaded">
          {problems.length > 0 ? (
            <List size="sm" spacing={2}>
              {problems.map((problem) => (
                <List.Item key={problem}>{problem}</List.Item>
              ))}
            </List>
          ) : (
            <Text size="sm">{formError(load.error)}</Text>
          )}
        </Alert>
      )}
      {load.isSuccess && (
        <Alert color="teal" title="Prices loaded">
          {load.data.loaded} prices are loaded; every server rates with them from their effective time.
        </Alert>
      )}
      <Group>
        <FileButton onChange={readFile} accept=".csv,text/csv">
          {(props) => (
            <Button variant="default" {...props}>
              Choose a CSV file
            </Button>
          )}
        </FileButton>
        <Button onClick={() => load.mutate()} loading={load.isPending} disabled={!csv.trim()}>
          Load prices
        </Button>
      </Group>
      <Title order={3} fz="h4" mt="md">
        Decks loaded
      </Title>
      {decks.isPending && <Loader size="sm" />}
      {decks.isError && <Alert color="red">{decks.error.message}</Alert>}
      {decks.data && decks.data.decks.length === 0 && <Text size="sm">No price deck is loaded yet.</Text>}
      {decks.data && decks.data.decks.length > 0 && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped verticalSpacing="xs" fz="sm" aria-label="Price decks">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Loaded</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th ta="right">Prices</Table.Th>
                <Table.Th>Effective from</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {decks.data.decks.map((deck) => (
                <Table.Tr key={deck.id}>
                  <Table.Td>{when(deck.loadedAt)}</Table.Td>
                  <Table.Td>{deck.loadedBy}</Table.Td>
                  <Table.Td ta="right">{deck.rowCount}</Table.Td>
                  <Table.Td>
                    {deck.firstEffectiveFrom === deck.lastEffectiveFrom
                      ? when(deck.firstEffectiveFrom)
                      : `${when(deck.firstEffectiveFrom)} – ${when(deck.lastEffectiveFrom)}`}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
