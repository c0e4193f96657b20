import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { displayMoney } from '../../../../src/lib/money';
import { fieldError } from '../../api';
import { CardFormEnd, useCardSaving } from '../../components/billing/card-form';
import {
  addTestCard,
  type PaymentSettings,
  type PaymentView,
  usePaymentSettings,
  usePayments,
} from '../../components/billing/payments';
import { FormAlert } from '../../components/FormAlert';
import { QueryError } from '../../components/QueryError';
import { StripeCardForm } from './StripeCardForm';

const money = (micros: string, currency: string) => displayMoney({ micros: BigInt(micros), currency });

const statusBadge: Record<PaymentView['status'], [string, string]> = {
  pending: ['Pending', 'gray'],
  requires_action: ['Waiting for confirmation', 'yellow'],
  succeeded: ['Received', 'green'],
  failed: ['Failed', 'red'],
  refused: ['Not made', 'orange'],
};

/** Saved cards, adding one, Recharge now, and the payments made. */
export function CardsAndRechargeSection() {
  const { settings } = usePaymentSettings();
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h5">
          Cards and recharge
        </Title>
        {settings.isPending && <Loader size="sm" aria-label="Loading" />}
        {settings.isError && <QueryError error={settings.error} />}
        {settings.data?.gateway === 'none' && (
          <Alert color="gray" variant="light">
            This Switchboard takes no card payments: ask the operator to add credit.
          </Alert>
        )}
        {settings.data && settings.data.gateway !== 'none' && <Cards settings={settings.data} />}
        {settings.data && settings.data.gateway !== 'none' && <Recharge settings={settings.data} />}
        <PaymentsMade />
      </Stack>
    </Card>
  );
}

function Cards({ settings }: { settings: PaymentSettings }) {
  const { refresh, remove } = usePaymentSettings();
  const [adding, setAdding] = useState(settings.methods.length === 0);
  return (
    <Stack gap="sm">
      <Text fw={500} fz="sm">
        Saved cards
      </Text>
      {settings.methods.length === 0 && (
        <Text fz="sm" c="dimmed">
          No card yet: add one to recharge.
        </Text>
      )}
      {settings.methods.map((method) => (
        <Group key={method.id} gap="sm">
          <Text fz="sm">
            {method.brand} •••• {method.last4}, expires {String(method.expMonth).padStart(2, '0')}/
            {method.expYear}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            color="red"
            loading={remove.isPending && remove.variables === method.id}
            onClick={() => remove.mutate(method.id)}
          >
            Remove
          </Button>
        </Group>
      ))}
      <FormAlert error={remove.error} />
      {!adding && (
        <Group>
          <Button variant="light" size="xs" onClick={() => setAdding(true)}>
            Add a card
          </Button>
        </Group>
      )}
      {adding && settings.gateway === 'test' && (
        <TestCardForm
          settings={settings}
          onAdded={() => {
            setAdding(false);
            refresh();
          }}
        />
      )}
      {adding && settings.gateway === 'stripe' && (
        <StripeCardForm
          onAdded={() => {
            setAdding(false);
            refresh();
          }}
        />
      )}
    </Stack>
  );
}

/** The test gateway's card form: its test numbers are listed, nothing real is charged. */
function TestCardForm({ settings, onAdded }: { settings: PaymentSettings; onAdded: () => void }) {
  const [number, setNumber] = useState('');
  const [expiry, setExpiry] = useState('12/30');
  const [cvc, setCvc] = useState('');
  const { error, busy, save } = useCardSaving(onAdded);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [month = '', year = ''] = expiry.split('/').map((part) => part.trim());
    void save(() =>
      addTestCard({ number, expMonth: Number(month), expYear: 2000 + Number(year.slice(-2)), cvc }),
    );
  };
  return (
    <form onSubmit={submit} noValidate aria-label="Add a test card">
      <Stack gap="xs" maw={520}>
        <Text fz="xs" c="dimmed">
          Test gateway (development): no real money moves. Test cards:{' '}
          {settings.testCards.map((card) => `${card.number} (${card.behaviour})`).join(', ')}.
        </Text>
        <Group align="flex-start" gap="xs">
          <TextInput
            label="Card number"
            w={220}
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            inputMode="numeric"
          />
          <TextInput
            label="Expiry (MM/YY)"
            w={150}
            value={expiry}
            onChange={(e) => setExpiry(e.currentTarget.value)}
          />
          <TextInput
            label="CVC"
            w={80}
            value={cvc}
            onChange={(e) => setCvc(e.currentTarget.value)}
            inputMode="numeric"
          />
        </Group>
        <CardFormEnd error={error} busy={busy} />
      </Stack>
    </form>
  );
}

function Recharge({ settings }: { settings: PaymentSettings }) {
  const { recharge } = usePayments();
  const [amount, setAmount] = useState<string | number>('50');
  const [methodId, setMethodId] = useState<string | null>(settings.methods[0]?.id ?? null);
  const [requestKey, setRequestKey] = useState(() => crypto.randomUUID());
  const chosen = settings.methods.some((m) => m.id === methodId)
    ? methodId
    : (settings.methods[0]?.id ?? null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    recharge.mutate(
      { amount: String(amount), paymentMethodId: chosen, requestKey },
      { onSettled: () => setRequestKey(crypto.randomUUID()) },
    );
  };
  const answer = recharge.data;
  return (
    <form onSubmit={submit} noValidate aria-label="Recharge now">
      <Stack gap="xs">
        <Text fw={500} fz="sm">
          Recharge now
        </Text>
        <Group align="flex-end" gap="xs">
          <NumberInput
            label={`Amount (${settings.currency})`}
            description={`From ${money(settings.rechargeMinMicros, settings.currency)} to ${money(settings.rechargeMaxMicros, settings.currency)}`}
            w={220}
            min={0}
            decimalScale={2}
            value={amount}
            onChange={(value) => {
              setAmount(value);
              recharge.reset();
            }}
            error={fieldError(recharge.error, 'amount')}
          />
          <Select
            label="Card"
            w={220}
            data={settings.methods.map((m) => ({ value: m.id, label: `${m.brand} •••• ${m.last4}` }))}
            value={chosen}
            onChange={setMethodId}
            placeholder="Add a card first"
            allowDeselect={false}
          />
          <Button type="submit" disabled={!chosen} loading={recharge.isPending}>
            Recharge
          </Button>
        </Group>
        <FormAlert error={recharge.error} fields={['amount']} />
        {answer?.status === 'succeeded' && (
          <Alert color="green" variant="light" role="status">
            {money(answer.amountMicros, answer.currency)} received and added to the balance.{' '}
            <Anchor href={`/api/billing/payments/${answer.id}/receipt.pdf`}>Download the receipt</Anchor>
          </Alert>
        )}
        {answer?.status === 'requires_action' && answer.actionUrl && (
          <Alert color="yellow" variant="light" role="status">
            Your bank asks you to confirm this payment.{' '}
            <Anchor href={answer.actionUrl}>Confirm the payment</Anchor>
          </Alert>
        )}
        {answer?.status === 'failed' && (
          <Alert color="red" variant="light" role="alert">
            The payment did not go through: {answer.failureReason}
          </Alert>
        )}
      </Stack>
    </form>
  );
}

function PaymentsMade() {
  const { payments } = usePayments();
  const rows = payments.data?.payments ?? [];
  return (
    <Stack gap="xs">
      <Text fw={500} fz="sm">
        Payments
      </Text>
      {payments.isError && <QueryError error={payments.error} />}
      {payments.data && rows.length === 0 && (
        <Text fz="sm" c="dimmed">
          No payments yet.
        </Text>
      )}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped aria-label="Payments">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Date</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Card</Table.Th>
                <Table.Th ta="right">Amount</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Receipt</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((payment) => {
                const [label, color] = statusBadge[payment.status];
                return (
                  <Table.Tr key={payment.id}>
                    <Table.Td>{new Date(payment.createdAt).toLocaleString()}</Table.Td>
                    <Table.Td>{payment.purpose === 'auto_recharge' ? 'Auto-recharge' : 'Recharge'}</Table.Td>
                    <Table.Td>{payment.card ?? '—'}</Table.Td>
                    <Table.Td ta="right">{money(payment.amountMicros, payment.currency)}</Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        <Badge color={color} variant="light">
                          {label}
                        </Badge>
                        {payment.reversedAt && (
                          <Badge color="red" variant="outline">
                            Reversed
                          </Badge>
                        )}
                      </Group>
                      {(payment.failureReason || payment.reversalReason) && (
                        <Text fz="xs" c="dimmed">
                          {payment.reversalReason ?? payment.failureReason}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {payment.creditedAt ? (
                        <Anchor href={`/api/billing/payments/${payment.id}/receipt.pdf`} fz="sm">
                          Receipt
                        </Anchor>
                      ) : (
                        '—'
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
