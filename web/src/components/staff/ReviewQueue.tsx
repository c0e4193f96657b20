import { Alert, Badge, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReviewQueue as ReviewQueueAnswer } from '@server/modules/staff/schemas';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { ReviewDecisionDialog } from './ReviewDecisionDialog';
import { type AccountUnderReview, reviewsKey } from './reviews';

/** The activation review queue, oldest first. */
export function ReviewQueue() {
  const [deciding, setDeciding] = useState<AccountUnderReview | null>(null);
  const [lastDecision, setLastDecision] = useState<string | null>(null);
  const reviews = useQuery({
    queryKey: reviewsKey,
    queryFn: () => api.get<ReviewQueueAnswer>('/api/staff/reviews'),
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} fz="h3">
          Activation review
        </Title>
        <Button variant="default" size="xs" onClick={() => reviews.refetch()} loading={reviews.isFetching}>
          Refresh
        </Button>
      </Group>
      {lastDecision && (
        <Alert color="teal" withCloseButton onClose={() => setLastDecision(null)} role="status">
          {lastDecision}
        </Alert>
      )}
      {reviews.isPending && <Loader size="sm" />}
      {reviews.isError && <Alert color="red">{reviews.error.message}</Alert>}
      {reviews.data?.accounts.length === 0 && <Text c="dimmed">No accounts are waiting for review.</Text>}
      {reviews.data?.accounts.map((account) => (
        <Card
          key={account.id}
          component="section"
          aria-label={account.companyName ?? account.name}
          withBorder
          padding="lg"
        >
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={6}>
              <Group gap="xs">
                <Text fw={600}>{account.companyName ?? account.name}</Text>
                <Badge variant="light" color="gray">
                  {account.authId}
                </Badge>
              </Group>
              {account.reviewReason && (
                <Text fz="sm" c="orange.9">
                  Held: {account.reviewReason}
                </Text>
              )}
              <SimpleGrid cols={3} spacing="xs" verticalSpacing={4}>
                <Fact label="Owner" value={`${account.ownerName} <${account.ownerEmail}>`} />
                <Fact label="Website" value={account.website ?? '—'} />
                <Fact label="Country" value={account.country ?? '—'} />
                <Fact label="Sign-up IP" value={account.signupIp ?? '—'} />
                <Fact label="Signed up" value={new Date(account.createdAt).toLocaleString()} />
              </SimpleGrid>
              {account.intendedUse && <Fact label="Intended use" value={account.intendedUse} />}
            </Stack>
            <Button onClick={() => setDeciding(account)}>Review</Button>
          </Group>
        </Card>
      ))}
      <ReviewDecisionDialog
        account={deciding}
        onClose={() => setDeciding(null)}
        onDecided={(message) => {
          setDeciding(null);
          setLastDecision(message);
        }}
      />
    </Stack>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Stack gap={0}>
      <Text fz="xs" c="dimmed">
        {label}
      </Text>
      <Text fz="sm">{value}</Text>
    </Stack>
  );
}
