import { Alert, Button, Group, Modal, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { StaffCredit, StaffCredited } from '@server/modules/billing/transactions-schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { moneyText } from '../billing/billing';
import { FormAlert } from '../FormAlert';
import type { AccountMatch } from './accounts';

/** 128 random bits in hex (getRandomValues works on plain http too, where randomUUID does not). */
const randomKey = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join(
    '',
  );

/** A fresh form: its idempotency key is made once, so a double submit of this form adjusts once. */
const freshForm = () => ({ amount: '', reason: '', key: `staff-${randomKey()}` });

/** Adjust an account's credit with a reason: positive credits, negative debits; audited, shown to the customer. */
export function CreditDialog({ account, onClose }: { account: AccountMatch | null; onClose: () => void }) {
  const [form, setForm] = useState(freshForm);
  const [done, setDone] = useState<StaffCredited | null>(null);
  const queryClient = useQueryClient();
  const adjust = useMutation({
    mutationFn: () =>
      api.post<StaffCredited>(`/api/staff/accounts/${account?.id}/credits`, {
        amount: form.amount,
        reason: form.reason,
        idempotency_key: form.key,
      } satisfies StaffCredit),
    onSuccess: (answer) => {
      // The account page shows the balance and the ledger.
      queryClient.invalidateQueries({ queryKey: ['staff'] });
      setDone(answer);
      setForm(freshForm());
    },
  });
  const close = () => {
    setForm(freshForm());
    setDone(null);
    adjust.reset();
    onClose();
  };
  return (
    <Modal
      opened={account !== null}
      onClose={close}
      title={`Adjust credit of ${account?.name ?? ''}`}
      centered
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setDone(null);
          adjust.mutate();
        }}
      >
        <Stack>
          <Text fz="sm" c="dimmed">
            {account?.authId}: a positive amount credits, a negative one (such as -5) debits. The customer
            sees the reason in Billing › Transactions.
          </Text>
          <TextInput
            label="Amount"
            placeholder="25.00"
            required
            value={form.amount}
            onChange={(event) => setForm({ ...form, amount: event.currentTarget.value })}
            error={fieldError(adjust.error, 'amount')}
          />
          <Textarea
            label="Reason"
            required
            maxLength={500}
            value={form.reason}
            onChange={(event) => setForm({ ...form, reason: event.currentTarget.value })}
            error={fieldError(adjust.error, 'reason')}
          />
          {done && (
            <Alert color="teal" role="status">
              {done.posted ? 'Adjusted by' : 'Already adjusted by'}{' '}
              {moneyText(done.transaction.amountMicros, done.transaction.currency)}. Balance now{' '}
              {moneyText(done.balance.balanceMicros, done.balance.currency)}.
            </Alert>
          )}
          <FormAlert error={adjust.error} fields={['amount', 'reason']} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Close
            </Button>
            <Button type="submit" loading={adjust.isPending}>
              Adjust credit
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
