import { Button, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useAccess } from '../../access';
import type { AccountView } from '../../session';
import { BusinessDetailsStep } from './BusinessDetailsStep';

/**
 * An account held for review because its business details are incomplete: the Owner completes them
 * here, and the review runs again (active at once unless another check holds the account).
 */
export function CompleteProfileOffer({ account }: { account: AccountView }) {
  const access = useAccess();
  const [opened, setOpened] = useState(false);
  if (account.review?.reasonClass !== 'incomplete_documentation' || access.pending) return null;
  if (access.role !== 'owner') {
    return (
      <Text fz="sm">The account's Owner can complete the business details; the review then runs again.</Text>
    );
  }
  return (
    <Stack gap="xs" align="flex-start">
      <Text fz="sm">
        Complete the business details and the review runs again: unless another check holds the account, it is
        activated at once.
      </Text>
      <Button size="sm" onClick={() => setOpened(true)}>
        Complete business details
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title="Complete business details" size="lg">
        {opened && <BusinessDetailsStep given={account.businessProfile} onDone={() => setOpened(false)} />}
      </Modal>
    </Stack>
  );
}
