import { Alert, Card, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { CountrySelect, countries } from '../components/CountrySelect';
import { PageTitle } from '../components/PageTitle';
import { Price } from '../components/Price';
import {
  type DestinationRate,
  increments,
  type Pricing,
  typeName,
  usePricing,
} from '../components/pricing/pricing';
import { QueryError } from '../components/QueryError';

type Product = 'voice' | 'messaging';
/** The country last chosen on either page: the other page opens on it too. */
const LAST_COUNTRY = 'switchboard.pricing.country';

const countryName = (code: string) => countries.find((country) => country.value === code)?.label ?? code;

/**
 * Voice > Pricing and Messaging > Pricing: a country's prices in force now, for every member. The
 * country is in the address (?country=GB), so a shared link shows the same one, and the last one
 * chosen is where the other page opens.
 */
export function PricingPage({ product }: { product: Product }) {
  const [params, setParams] = useSearchParams();
  const country = params.get('country') ?? sessionStorage.getItem(LAST_COUNTRY) ?? 'US';
  const pricing = usePricing(country);
  return (
    <Stack maw={1000} gap="lg">
      <PageTitle section={product === 'voice' ? 'Voice' : 'Messaging'} title="Pricing" />
      <Card withBorder padding="lg">
        <Stack>
          <CountrySelect
            maw={360}
            value={country}
            allowDeselect={false}
            onChange={(value) => {
              if (!value) return;
              sessionStorage.setItem(LAST_COUNTRY, value);
              setParams({ country: value }, { replace: true });
            }}
          />
          {pricing.isPending && <Loader size="sm" aria-label="Loading" />}
          {pricing.isError && <QueryError error={pricing.error} />}
          {pricing.data === null && (
            <Alert color="gray" title="No prices yet">
              There are no prices for {countryName(country)} yet. Choose another country, or ask support.
            </Alert>
          )}
          {pricing.data &&
            (product === 'voice' ? (
              <VoicePrices pricing={pricing.data} />
            ) : (
              <MessagingPrices pricing={pricing.data} />
            ))}
        </Stack>
      </Card>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="xs">
      <Title order={3} fz="h5">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/** A priced destination: "All of United States (+1)" for the country default, else its prefix. */
const destination = (pricing: Pricing, prefix: string) =>
  prefix === String(pricing.country_code) ? `All of ${pricing.country} (+${prefix})` : `+${prefix}`;

function CallRates({ pricing, rates, label }: { pricing: Pricing; rates: DestinationRate[]; label: string }) {
  if (rates.length === 0) return <Text fz="sm">No prices for {label.toLowerCase()}.</Text>;
  return (
    <Table fz="sm" aria-label={label}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Destination</Table.Th>
          <Table.Th>Number type</Table.Th>
          <Table.Th>Per minute</Table.Th>
          <Table.Th>Connect fee</Table.Th>
          <Table.Th>Billing increments</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rates.map((rate) => (
          <Table.Tr key={`${rate.prefix.join()}|${rate.number_type ?? ''}`}>
            <Table.Td>{destination(pricing, rate.prefix[0] ?? '')}</Table.Td>
            <Table.Td>{typeName(rate.number_type)}</Table.Td>
            <Table.Td>
              <Price amount={rate.rate} />
            </Table.Td>
            <Table.Td>
              <Price amount={rate.connect_fee} />
            </Table.Td>
            <Table.Td>{increments(rate)}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

function Rentals({ pricing }: { pricing: Pricing }) {
  const types = (['local', 'tollfree', 'mobile'] as const).filter((type) => pricing.phone_numbers[type]);
  if (types.length === 0)
    return <Text fz="sm">No numbers of {pricing.country} are available to rent now.</Text>;
  return (
    <Group gap="xl">
      {types.map((type) => (
        <Stack key={type} gap={0}>
          <Text fz="xs" c="dimmed">
            {typeName(type)}
          </Text>
          <Text fw={600}>
            from <Price amount={pricing.phone_numbers[type]?.rate ?? '0'} /> a month
          </Text>
        </Stack>
      ))}
    </Group>
  );
}

function VoicePrices({ pricing }: { pricing: Pricing }) {
  return (
    <Stack gap="lg">
      <Section title="Outbound calls">
        <CallRates pricing={pricing} rates={pricing.voice.outbound.rates} label="Outbound calls" />
      </Section>
      <Section title="Inbound calls">
        <CallRates pricing={pricing} rates={pricing.voice.inbound.rates} label="Inbound calls" />
      </Section>
      <Section title="Phone numbers">
        <Rentals pricing={pricing} />
      </Section>
      <Text fz="xs" c="dimmed">
        A call is billed the first increment whole, then each further increment it starts, at the per-minute
        rate, plus the connect fee. The longest matching destination prefix sets the price.
      </Text>
    </Stack>
  );
}

function MessageRates({
  pricing,
  channel,
  label,
}: {
  pricing: Pricing;
  channel: 'message' | 'mms';
  label: string;
}) {
  const prices = pricing[channel];
  return (
    <Section title={label}>
      <Group gap="xl">
        {(['outbound', 'inbound'] as const).map((direction) => (
          <Stack key={direction} gap={0}>
            <Text fz="xs" c="dimmed">
              {direction === 'outbound' ? 'Outbound' : 'Inbound'}, per segment
            </Text>
            <Text fw={600}>
              {prices[direction].rate === null ? 'Not priced' : <Price amount={prices[direction].rate} />}
            </Text>
          </Stack>
        ))}
      </Group>
      {prices.outbound_networks_list.length > 0 && (
        <Table fz="sm" aria-label={`${label} by destination`}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Destination</Table.Th>
              <Table.Th>Number type</Table.Th>
              <Table.Th>Outbound, per segment</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {prices.outbound_networks_list.map((network) => (
              <Table.Tr key={`${network.prefix.join()}|${network.number_type ?? ''}`}>
                <Table.Td>{destination(pricing, network.prefix[0] ?? '')}</Table.Td>
                <Table.Td>{typeName(network.number_type)}</Table.Td>
                <Table.Td>
                  <Price amount={network.rate} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Section>
  );
}

function MessagingPrices({ pricing }: { pricing: Pricing }) {
  return (
    <Stack gap="lg">
      <MessageRates pricing={pricing} channel="message" label="SMS" />
      <MessageRates pricing={pricing} channel="mms" label="MMS" />
      <Text fz="xs" c="dimmed">
        A message is billed per segment: a long text is sent, and billed, in several segments.
      </Text>
    </Stack>
  );
}
