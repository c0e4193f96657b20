import { Alert, Button, Stack, Text } from '@mantine/core';
import { Link } from 'react-router';
import type { AccountView } from '../../session';
import { CompleteProfileOffer } from './CompleteProfileOffer';

/** What became of the account after onboarding: under review (and why), rejected, or active. */
export function AccountStatusPanel({ account }: { account: AccountView }) {
  if (account.status === 'under_review') {
    return (
      <Stack>
        <Alert color="yellow" title="Your account is under review" role="status">
          <Stack gap={6}>
            {account.review && <Text fz="sm">Reason: {account.review.reason}.</Text>}
            <Text fz="sm">
              Most accounts are activated within {account.review?.targetHours ?? 24} hours. We will email you
              when the review is done.
            </Text>
            <CompleteProfileOffer account={account} />
          </Stack>
        </Alert>
        <Button component={Link} to="/" w="fit-content">
          Go to the console
        </Button>
      </Stack>
    );
  }
  if (account.status === 'rejected') {
    return (
      <Alert color="red" title="Your account could not be activated">
        We emailed you the reason. Reply to that email if you can provide more information.
      </Alert>
    );
  }
  return (
    <Stack>
      <Alert color="teal" title="Your account is active" />
      <Button component={Link} to="/" w="fit-content">
        Go to the console
      </Button>
    </Stack>
  );
}
