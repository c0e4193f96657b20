import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  NumberInput,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import type { RateLimits, SetRateLimits } from '@server/modules/staff/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { type AccountMatch, type RateClass, rateClasses, rateClassLabels, rateLimitsKey } from './accounts';

/** A class's pending change: a new limit, null to return to the default, absent to leave it. */
type Draft = Partial<Record<RateClass, number | null>>;

const MAX_PER_SECOND = 100_000;

/** Checked here because the API reads 0 as null (back to the default) instead of refusing it. */
function outOfRange(value: number | null | undefined): string | undefined {
  if (typeof value !== 'number' || (value >= 1 && value <= MAX_PER_SECOND)) return undefined;
  return `From 1 to ${MAX_PER_SECOND.toLocaleString()} requests per second.`;
}

/** An account's API rate limits per class, in requests per second (Enterprise limits), and back to default. */
export function RateLimitsDialog({
  account,
  onClose,
}: {
  account: AccountMatch | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>({});
  const [reason, setReason] = useState('');
  const limits = useQuery({
    queryKey: rateLimitsKey(account?.id ?? ''),
    queryFn: () => api.get<RateLimits>(`/api/staff/accounts/${account?.id}/rate-limits`),
    enabled: account !== null,
  });
  const save = useMutation({
    mutationFn: () =>
      api.put<RateLimits>(`/api/staff/accounts/${account?.id}/rate-limits`, {
        ...draft,
        reason: reason.trim(),
      } satisfies SetRateLimits),
    onSuccess: (saved) => {
      queryClient.setQueryData(rateLimitsKey(account?.id ?? ''), saved);
      setDraft({});
      setReason('');
    },
  });
  const close = () => {
    setDraft({});
    setReason('');
    save.reset();
    onClose();
  };
  const changed = Object.keys(draft).length > 0;
  const valid = rateClasses.every((rateClass) => !outOfRange(draft[rateClass]));

  return (
    <Modal opened={account !== null} onClose={close} title={`Rate limits of ${account?.name ?? ''}`} centered>
      <Stack>
        <Text fz="sm" c="dimmed">
          Requests per second for {account?.authId}. Every instance applies a change at once.
        </Text>
        {limits.isPending && <Loader size="sm" aria-label="Loading" />}
        {limits.isError && <Alert color="red">{limits.error.message}</Alert>}
        {limits.data &&
          rateClasses.map((rateClass) => {
            const current = limits.data.limits[rateClass];
            const pending = draft[rateClass];
            const followsDefault = pending === null || (pending === undefined && current.isDefault);
            return (
              <Group key={rateClass} align="flex-end" wrap="nowrap">
                <NumberInput
                  label={rateClassLabels[rateClass]}
                  min={1}
                  max={MAX_PER_SECOND}
                  allowDecimal={false}
                  clampBehavior="none"
                  w={200}
                  placeholder="operator default"
                  value={pending === null ? '' : (pending ?? current.requestsPerSecond)}
                  onChange={(value) =>
                    setDraft({ ...draft, [rateClass]: typeof value === 'number' ? value : null })
                  }
                  error={outOfRange(pending) ?? fieldError(save.error, rateClass)}
                />
                {followsDefault ? (
                  <Badge variant="light" color="gray" mb={8}>
                    default
                  </Badge>
                ) : (
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    mb={6}
                    onClick={() => setDraft({ ...draft, [rateClass]: null })}
                  >
                    Use default
                  </Button>
                )}
              </Group>
            );
          })}
        {changed && (
          <TextInput
            label="Reason"
            description="The customer reads it in their audit log."
            required
            maxLength={500}
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            error={fieldError(save.error, 'reason')}
          />
        )}
        {save.isSuccess && !changed && (
          <Alert color="teal" role="status">
            Rate limits saved.
          </Alert>
        )}
        <FormAlert error={save.error} fields={[...rateClasses, 'reason']} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            Close
          </Button>
          <Button
            onClick={() => save.mutate()}
            loading={save.isPending}
            disabled={!changed || !valid || reason.trim() === ''}
          >
            Save
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
