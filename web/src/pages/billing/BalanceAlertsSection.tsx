import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  type TextInputProps,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { displayMoney } from '../../../../src/lib/money';
import { fieldError } from '../../api';
import {
  type AlertSettings,
  MAX_ALERT_EMAILS,
  MAX_CUSTOM_THRESHOLDS,
  useBalanceAlerts,
} from '../../components/billing/alerts';
import { FormAlert } from '../../components/FormAlert';
import { QueryError } from '../../components/QueryError';

/** "100.00000" (the API's 5 decimals) as people read it: "$100.00". */
const amountText = (amount: string, currency: string) => {
  const [whole = '0', fraction = ''] = amount.split('.');
  return displayMoney({
    micros: BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6)),
    currency,
  });
};

/** "100.00000" as a person types it: "100" or "12.5". */
const amountInput = (amount: string) => amount.replace(/\.?0+$/, '');

/** An input of a list the member edits: a key of its own, so removing one keeps the others' state. */
interface Row {
  key: number;
  value: string;
}
let nextKey = 0;
const rowsOf = (values: string[]): Row[] => values.map((value) => ({ key: nextKey++, value }));
const valuesOf = (rows: Row[]) => rows.map((row) => row.value.trim()).filter((value) => value !== '');

/**
 * Balance alerts: the operator's default thresholds, up to 3 of the account's own (with the FAQ's
 * suggestion, the average daily usage of the last 30 days), up to 5 more addresses, and an optional
 * webhook whose signing secret is shown once.
 */
export function BalanceAlertsSection() {
  const { settings } = useBalanceAlerts();
  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h5">
          Balance alerts
        </Title>
        <Text fz="sm" c="dimmed" maw={760}>
          We email the account’s Owner, Admins and Financial Analysts, and the addresses below, when a charge
          takes the balance below a threshold: once each time it drops below, and again only after the balance
          has been back at or above it.
        </Text>
        {settings.isPending && <Loader size="sm" aria-label="Loading" />}
        {settings.isError && <QueryError error={settings.error} />}
        {settings.data && <AlertsForm settings={settings.data} />}
      </Stack>
    </Card>
  );
}

function AlertsForm({ settings }: { settings: AlertSettings }) {
  const { save, rotate } = useBalanceAlerts();
  const [thresholds, setThresholds] = useState(() => rowsOf(settings.customThresholds.map(amountInput)));
  const [emails, setEmails] = useState(() => rowsOf(settings.emails));
  const [webhookUrl, setWebhookUrl] = useState(settings.webhookUrl ?? '');
  const [secret, setSecret] = useState<string | undefined>();
  const currency = settings.currency;

  // What was saved, as the server keeps it (amounts sorted, addresses lower-case, repeats dropped).
  useEffect(() => {
    if (!save.data) return;
    setThresholds(rowsOf(save.data.customThresholds.map(amountInput)));
    setEmails(rowsOf(save.data.emails));
    setWebhookUrl(save.data.webhookUrl ?? '');
    if (save.data.webhookSecret) setSecret(save.data.webhookSecret);
  }, [save.data]);
  useEffect(() => {
    if (rotate.data?.webhookSecret) setSecret(rotate.data.webhookSecret);
  }, [rotate.data]);

  const edited = () => save.reset();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate({
      customThresholds: valuesOf(thresholds),
      emails: valuesOf(emails),
      webhookUrl: webhookUrl.trim() === '' ? null : webhookUrl.trim(),
    });
  };
  const suggestion = settings.suggestedThreshold ? amountInput(settings.suggestedThreshold) : null;
  const applySuggestion = () => {
    if (!suggestion) return;
    const empty = thresholds.findIndex((row) => row.value.trim() === '');
    if (empty >= 0)
      setThresholds(thresholds.map((row, i) => (i === empty ? { ...row, value: suggestion } : row)));
    else setThresholds([...thresholds, ...rowsOf([suggestion])]);
    edited();
  };
  const canAddThreshold = thresholds.length < MAX_CUSTOM_THRESHOLDS;
  const suggestionUsed = suggestion !== null && thresholds.some((row) => row.value.trim() === suggestion);

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        <Stack gap={6}>
          <Text fw={500} fz="sm">
            Default thresholds
          </Text>
          <Group gap="xs">
            {settings.defaultThresholds.length === 0 && (
              <Text fz="sm" c="dimmed">
                None (the operator set none)
              </Text>
            )}
            {settings.defaultThresholds.map((amount) => (
              <Badge key={amount} variant="light" size="lg">
                {amountText(amount, currency)}
              </Badge>
            ))}
          </Group>
        </Stack>

        <Stack gap={6}>
          <Text fw={500} fz="sm">
            Your thresholds (up to {MAX_CUSTOM_THRESHOLDS}, in {currency})
          </Text>
          <RowInputs
            rows={thresholds}
            onChange={(rows) => {
              setThresholds(rows);
              edited();
            }}
            max={MAX_CUSTOM_THRESHOLDS}
            field="customThresholds"
            error={save.error}
            addLabel="Add threshold"
            input={(index) => ({
              'aria-label': `Threshold ${index + 1}`,
              placeholder: '50.00',
              inputMode: 'decimal',
              w: 180,
            })}
          />
          <Text fz="sm" c="dimmed" maw={760}>
            {suggestion ? (
              <>
                Suggested: {amountText(settings.suggestedThreshold as string, currency)}, your average daily
                usage over the last 30 days, so you hear about it a day before the credit runs out.{' '}
                {!suggestionUsed &&
                  (canAddThreshold || thresholds.some((row) => row.value.trim() === '') ? (
                    <Anchor component="button" type="button" fz="sm" onClick={applySuggestion}>
                      Use this
                    </Anchor>
                  ) : (
                    'Remove a threshold to use it.'
                  ))}
              </>
            ) : (
              'Once the account has usage, we suggest a threshold equal to its average daily usage of the last 30 days.'
            )}
          </Text>
        </Stack>

        <Stack gap={6}>
          <Text fw={500} fz="sm">
            Also notify (up to {MAX_ALERT_EMAILS} addresses)
          </Text>
          <RowInputs
            rows={emails}
            onChange={(rows) => {
              setEmails(rows);
              edited();
            }}
            max={MAX_ALERT_EMAILS}
            field="emails"
            error={save.error}
            addLabel="Add address"
            input={(index) => ({
              'aria-label': `Notification email ${index + 1}`,
              type: 'email',
              placeholder: 'billing@example.com',
              w: 320,
            })}
          />
        </Stack>

        <Stack gap={6}>
          <TextInput
            label="Webhook URL (optional)"
            description="Each alert is also POSTed here as JSON, signed: headers X-Switchboard-Timestamp and X-Switchboard-Signature (v1= HMAC-SHA256 of timestamp.body with your signing secret)."
            placeholder="https://example.com/hooks/balance"
            maw={640}
            value={webhookUrl}
            onChange={(event) => {
              setWebhookUrl(event.currentTarget.value);
              edited();
            }}
            error={fieldError(save.error, 'webhookUrl')}
          />
          {settings.webhookUrl && settings.webhookSecretSet && (
            <Group gap="xs">
              <Text fz="sm" c="dimmed">
                A signing secret is set.
              </Text>
              <Button variant="subtle" size="xs" loading={rotate.isPending} onClick={() => rotate.mutate()}>
                New signing secret
              </Button>
            </Group>
          )}
          <FormAlert error={rotate.error} />
          {secret && (
            <Alert color="yellow" variant="light" title="Your webhook signing secret, shown this once">
              <Stack gap="xs">
                <Text fz="sm">Copy it into your receiver now: it is not shown again.</Text>
                <Group gap="xs">
                  <Code fz="sm" aria-label="Webhook signing secret">
                    {secret}
                  </Code>
                  <CopyButton value={secret}>
                    {({ copied, copy }) => (
                      <Button size="xs" variant="light" onClick={copy}>
                        {copied ? 'Copied' : 'Copy'}
                      </Button>
                    )}
                  </CopyButton>
                </Group>
              </Stack>
            </Alert>
          )}
        </Stack>

        {/* The whole refusal in words (an amount or address is also marked beside its input). */}
        <FormAlert error={save.error} fields={['webhookUrl']} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            Save alerts
          </Button>
          {save.isSuccess && (
            <Text fz="sm" c="teal.8">
              Saved.
            </Text>
          )}
        </Group>
      </Stack>
    </form>
  );
}

/**
 * A list the member edits, one input per row (thresholds, addresses): Remove beside each, Add below
 * while under `max`, and the API's refusal of a row (`field/index`) or of the list (`field`).
 */
function RowInputs({
  rows,
  onChange,
  max,
  field,
  error,
  addLabel,
  input,
}: {
  rows: Row[];
  onChange: (rows: Row[]) => void;
  max: number;
  field: string;
  error: unknown;
  addLabel: string;
  input: (index: number) => TextInputProps & { 'aria-label': string };
}) {
  return (
    <>
      {rows.map((row, index) => (
        <Group key={row.key} align="flex-start" gap="xs">
          <TextInput
            {...input(index)}
            value={row.value}
            onChange={(event) => {
              const next = event.currentTarget.value;
              onChange(rows.map((r, i) => (i === index ? { ...r, value: next } : r)));
            }}
            error={fieldError(error, `${field}/${index}`)}
          />
          <Button variant="subtle" color="gray" onClick={() => onChange(rows.filter((_, i) => i !== index))}>
            Remove
          </Button>
        </Group>
      ))}
      <Group>
        <Button
          variant="light"
          size="xs"
          disabled={rows.length >= max}
          onClick={() => onChange([...rows, ...rowsOf([''])])}
        >
          {addLabel}
        </Button>
      </Group>
      {fieldError(error, field) && (
        <Text fz="sm" c="red">
          {fieldError(error, field)}
        </Text>
      )}
    </>
  );
}
