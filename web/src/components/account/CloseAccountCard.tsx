import { Alert, Button, Card, Group, List, Modal, PasswordInput, Stack, Text, Title } from '@mantine/core';
import type { AccountClosed, ClosurePreview } from '@server/modules/accounts/closure-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { useAccess } from '../../access';
import { api, fieldError, rememberCsrfToken } from '../../api';
import { sessionKey } from '../../session';
import { FactorChallenge, useFactorChoice } from '../FactorChallenge';
import { FormAlert } from '../FormAlert';
import { methodsOf, useSecurityOverview } from '../security/overview';

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/**
 * Account > Service Address > Close Account (the Owner): what closing deletes and refunds, then the
 * password and a second factor. Afterwards the Owner is signed out like every other member.
 */
export function CloseAccountCard() {
  const access = useAccess();
  const [confirming, setConfirming] = useState(false);
  const mayClose = access.can('closeAccount');
  const preview = useQuery({
    queryKey: ['account', 'closure'],
    queryFn: () => api.get<ClosurePreview>('/api/account/closure'),
    enabled: mayClose,
  });
  if (access.pending) return null;
  return (
    <Card withBorder padding="lg" style={{ borderColor: 'var(--mantine-color-red-3)' }}>
      <Title order={3} fz="h5">
        Close Account
      </Title>
      {!mayClose ? (
        <Text fz="sm" c="dimmed">
          Only the account's Owner can close it.
        </Text>
      ) : (
        <Stack gap="sm">
          <Text fz="sm" c="dimmed">
            Closing cannot be undone. Remaining credit from recharges of the last 90 days is refunded within
            20 business days; trial credit is not refunded.
          </Text>
          {preview.isError && <Alert color="red">{preview.error.message}</Alert>}
          <Group>
            <Button
              color="red"
              variant="outline"
              onClick={() => setConfirming(true)}
              disabled={!preview.data}
            >
              Close account…
            </Button>
          </Group>
        </Stack>
      )}
      {preview.data && (
        <CloseAccountDialog
          opened={confirming}
          preview={preview.data}
          onCancel={() => setConfirming(false)}
        />
      )}
    </Card>
  );
}

function CloseAccountDialog({
  opened,
  preview,
  onCancel,
}: {
  opened: boolean;
  preview: ClosurePreview;
  onCancel: () => void;
}) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const overview = useSecurityOverview();
  const choice = useFactorChoice(overview.data ? methodsOf(overview.data) : ['phone']);
  const [password, setPassword] = useState('');
  const close = useMutation({
    mutationFn: () =>
      api.post<AccountClosed>('/api/account/closure', { password, method: choice.method, code: choice.code }),
    onSuccess: (closed) => {
      rememberCsrfToken('user', '');
      queryClient.clear();
      queryClient.setQueryData(sessionKey, null);
      navigate('/signin', {
        state: {
          notice: `${preview.name} is closed. ${
            closed.refund.nothing
              ? 'Nothing is refunded.'
              : `A refund of ${closed.refund.amount} reaches the card by ${closed.refund.dueOn}; we email when it is issued.`
          }`,
        },
      });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    close.mutate();
  };
  const blocked = preview.blockers.length > 0;
  return (
    <Modal opened={opened} onClose={onCancel} title={`Close ${preview.name}?`} centered size="lg">
      <form onSubmit={submit}>
        <Stack>
          <Text fz="sm">When you close the account ({preview.authId}):</Text>
          <List size="sm" spacing={4}>
            <List.Item>
              {plural(preview.applications, 'application')}, {plural(preview.endpoints, 'endpoint')},{' '}
              {plural(preview.subaccounts, 'subaccount')} and the API logs are permanently deleted.
            </List.Item>
            <List.Item>
              {plural(preview.numbers, 'phone number')} {preview.numbers === 1 ? 'goes' : 'go'} back to the
              provider; you cannot get {preview.numbers === 1 ? 'it' : 'them'} back.
            </List.Item>
            <List.Item>
              {plural(preview.members, 'team member')} {preview.members === 1 ? 'loses' : 'lose'} access at
              once, you too; the Auth ID and tokens stop working.
            </List.Item>
            <List.Item>
              {preview.refund.nothing ? (
                <>
                  Refund: nothing. No credit remains from recharges of the last 90 days, and trial credit is
                  never refunded{preview.refund.kept !== '$0.00' && ` (${preview.refund.kept} stays)`}.
                </>
              ) : (
                <>
                  Refund: <b>{preview.refund.amount}</b> by {preview.refund.dueOn}, to the card that paid
                  (recharges of the last 90 days: {preview.refund.recentRecharges}). Not refunded:{' '}
                  {preview.refund.kept}.
                </>
              )}
            </List.Item>
          </List>
          {blocked ? (
            <Alert color="orange" title="Not yet">
              {preview.blockers.join(' ')}
            </Alert>
          ) : (
            <>
              <PasswordInput
                label="Password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(event) => setPassword(event.currentTarget.value)}
                error={fieldError(close.error, 'password')}
              />
              <FactorChallenge choice={choice} check={close} phoneCodePath="/api/security/phone-code" />
              <FormAlert error={close.error} fields={['password', 'code']} />
            </>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Keep the account
            </Button>
            <Button type="submit" color="red" loading={close.isPending} disabled={blocked}>
              Close the account
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
