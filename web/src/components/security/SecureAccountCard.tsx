import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Code,
  Group,
  List,
  Modal,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import type { AccountReview, AccountSecured } from '@server/modules/account-security/schemas';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../access';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { AccountReviewPanel } from './AccountReviewPanel';

export const reviewKey = ['security', 'account-review'] as const;

/**
 * Account > Settings > Security > Secure my account (Owner and Admin): the FAQ's steps for a
 * compromised account as one action, after a confirmation that lists what will happen.
 */
export function SecureAccountCard() {
  const access = useAccess();
  const mayUse = !access.role || access.can('secureAccount');
  const [confirming, setConfirming] = useState(false);
  const [includeSubaccounts, setIncludeSubaccounts] = useState(true);
  const [showReview, setShowReview] = useState(false);
  const reauthentication = useReauthentication();
  const secure = useMutation({
    mutationFn: () =>
      reauthentication.run(() =>
        api.post<AccountSecured>('/api/security/secure-account', { includeSubaccounts }),
      ),
    onSuccess: () => setConfirming(false),
  });
  const review = useQuery({
    queryKey: reviewKey,
    queryFn: () => api.get<AccountReview>('/api/security/account-review'),
    enabled: showReview && !secure.data,
  });
  if (!access.pending && !mayUse) return null;
  const shown = secure.data?.review ?? (showReview ? review.data : undefined);

  return (
    <Card withBorder padding="lg">
      <Group justify="space-between" mb="xs">
        <Title order={3} fz="h5">
          Secure my account
        </Title>
        <Group gap="xs">
          {!shown && (
            <Button
              size="xs"
              variant="default"
              onClick={() => setShowReview(true)}
              loading={review.isFetching}
            >
              What to review
            </Button>
          )}
          <Button size="xs" color="red" onClick={() => setConfirming(true)}>
            Secure my account
          </Button>
        </Group>
      </Group>
      <Text fz="sm" c="dimmed">
        If you think someone else has access to this account, secure it in one step, then review what
        happened.
      </Text>
      {secure.data && (
        <Alert color="green" mt="md" title="The account is secured">
          <Stack gap={4}>
            <Text fz="sm">
              The new Auth Token (shown once here; also on Account › Settings › Credentials):{' '}
              <Code>{secure.data.authToken}</Code>
            </Text>
            <Text fz="sm">
              {secure.data.membersSignedOut} member(s) signed out everywhere and asked for a new password at
              their next sign-in
              {secure.data.subaccountsRevoked > 0
                ? `; ${secure.data.subaccountsRevoked} subaccount token(s) replaced`
                : ''}
              . Change your own password on{' '}
              <Anchor component={Link} to="/account/settings/profile">
                Profile
              </Anchor>{' '}
              now.
            </Text>
          </Stack>
        </Alert>
      )}
      {review.isError && <FormAlert error={review.error} />}
      {shown && <AccountReviewPanel review={shown} />}
      <Modal opened={confirming} onClose={() => setConfirming(false)} title="Secure my account?" centered>
        <Stack>
          <Text fz="sm">This will, at once:</Text>
          <List fz="sm" spacing={4}>
            <List.Item>
              generate a new Auth Token and revoke every other token of the account: integrations using an old
              token stop working until you update them;
            </List.Item>
            <List.Item>sign every member of the account out, everywhere (you stay signed in here);</List.Item>
            <List.Item>
              require every member, you included, to set a new password at their next sign-in;
            </List.Item>
            <List.Item>email the Owner and Admins that the account was secured.</List.Item>
          </List>
          <Checkbox
            label="Also replace the Auth Tokens of every subaccount"
            checked={includeSubaccounts}
            onChange={(event) => setIncludeSubaccounts(event.currentTarget.checked)}
          />
          <Text fz="sm">
            Afterwards, review recent sign-ins, payment receipts, usage and team changes, remove anyone you do
            not know, and{' '}
            <Anchor component={Link} to="/support">
              contact support
            </Anchor>
            .
          </Text>
          <FormAlert error={secure.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button color="red" loading={secure.isPending} onClick={() => secure.mutate()}>
              Secure my account
            </Button>
          </Group>
        </Stack>
      </Modal>
      {reauthentication.dialog}
    </Card>
  );
}
