import {
  Alert,
  Button,
  Card,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { fieldError } from '../../api';
import {
  type AutoRechargeView,
  type PaymentSettings,
  unitsInput,
  useAutoRecharge,
  usePaymentSettings,
} from '../../components/billing/payments';
import { FormAlert } from '../../components/FormAlert';
import { QueryError } from '../../components/QueryError';

/** Auto-recharge: when a charge takes the balance below the threshold, one recharge, within the caps. */
export function AutoRechargeSection() {
  const { settings } = useAutoRecharge();
  const { settings: payment } = usePaymentSettings();
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h5">
          Auto-recharge
        </Title>
        <Text fz="sm" c="dimmed" maw={760}>
          When a charge takes the balance below the threshold, we charge the card once: a fixed amount, or
          enough to bring the balance up to a target. The caps are limits, not warnings: a recharge that would
          pass one is not made, and the billing members are told why.
        </Text>
        {(settings.isPending || payment.isPending) && <Loader size="sm" aria-label="Loading" />}
        {settings.isError && <QueryError error={settings.error} />}
        {settings.data && payment.data && (
          <AutoRechargeForm settings={settings.data} payment={payment.data} />
        )}
      </Stack>
    </Card>
  );
}

function AutoRechargeForm({ settings, payment }: { settings: AutoRechargeView; payment: PaymentSettings }) {
  const { save } = useAutoRecharge();
  const saved = settings.thresholdMicros !== '0' || settings.enabled;
  const [enabled, setEnabled] = useState(settings.enabled);
  const [threshold, setThreshold] = useState(saved ? unitsInput(settings.thresholdMicros) : '50');
  const [mode, setMode] = useState<'fixed' | 'target'>(settings.mode);
  const [amount, setAmount] = useState(saved ? unitsInput(settings.amountMicros) : '200');
  const [dailyCap, setDailyCap] = useState(saved ? unitsInput(settings.dailyCapMicros) : '500');
  const [monthlyCap, setMonthlyCap] = useState(saved ? unitsInput(settings.monthlyCapMicros) : '2000');
  const [methodId, setMethodId] = useState<string | null>(
    settings.paymentMethodId ?? payment.methods[0]?.id ?? null,
  );
  // A card added after the form appeared is offered at once.
  const chosen =
    methodId && payment.methods.some((m) => m.id === methodId) ? methodId : (payment.methods[0]?.id ?? null);
  const edited = () => save.reset();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({ enabled, threshold, mode, amount, dailyCap, monthlyCap, paymentMethodId: chosen });
  };
  const amountField = (
    label: string,
    value: string,
    set: (value: string) => void,
    field: string,
    description?: string,
  ) => (
    <TextInput
      label={`${label} (${settings.currency})`}
      description={description}
      w={200}
      inputMode="decimal"
      value={value}
      onChange={(event) => {
        set(event.currentTarget.value);
        edited();
      }}
      error={fieldError(save.error, field)}
    />
  );
  return (
    <form onSubmit={submit} noValidate aria-label="Auto-recharge">
      <Stack gap="sm">
        <Switch
          label="Recharge automatically"
          checked={enabled}
          onChange={(event) => {
            setEnabled(event.currentTarget.checked);
            edited();
          }}
        />
        <Group align="flex-start" gap="sm">
          {amountField('Threshold', threshold, setThreshold, 'threshold', 'when the balance drops below')}
          <Stack gap={4}>
            <Text fz="sm" fw={500}>
              Recharge
            </Text>
            <SegmentedControl
              value={mode}
              onChange={(value) => {
                setMode(value as 'fixed' | 'target');
                edited();
              }}
              data={[
                { value: 'target', label: 'Up to a balance of' },
                { value: 'fixed', label: 'A fixed amount of' },
              ]}
            />
          </Stack>
          {amountField(mode === 'target' ? 'Target balance' : 'Amount', amount, setAmount, 'amount')}
        </Group>
        <Group align="flex-start" gap="sm">
          {amountField('Daily cap', dailyCap, setDailyCap, 'dailyCap', 'auto-recharges per day, at most')}
          {amountField('Monthly cap', monthlyCap, setMonthlyCap, 'monthlyCap', 'per calendar month, at most')}
          <Select
            label="Card"
            w={220}
            data={payment.methods.map((m) => ({ value: m.id, label: `${m.brand} •••• ${m.last4}` }))}
            value={chosen}
            onChange={(value) => {
              setMethodId(value);
              edited();
            }}
            placeholder="Add a card above first"
            error={fieldError(save.error, 'paymentMethodId')}
          />
        </Group>
        {settings.consecutiveFailures > 0 && (
          <Alert color="orange" variant="light">
            The last {settings.consecutiveFailures} auto-recharge
            {settings.consecutiveFailures === 1 ? '' : 's'} failed. Saving the settings again lets
            auto-recharge try again.
          </Alert>
        )}
        <FormAlert
          error={save.error}
          fields={['threshold', 'amount', 'dailyCap', 'monthlyCap', 'paymentMethodId']}
        />
        {save.isSuccess && (
          <Alert color="green" variant="light" role="status">
            Auto-recharge saved{save.data.enabled ? ': it is on.' : ': it is off.'}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save auto-recharge
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
