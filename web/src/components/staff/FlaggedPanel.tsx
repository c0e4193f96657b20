import { Alert, Badge, Button, Card, Group, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import type { FlaggedList, SuspiciousActivityFlag } from '@server/modules/suspicious-activity/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../../api';
import { DialogForm, FormDialog } from '../FormDialog';
import { QueryError } from '../QueryError';
import { SuspensionDialog } from './SuspensionDialog';

const flaggedKey = ['staff', 'suspicious-activity'] as const;

const outcomeLabels: Record<string, string> = { cleared: 'Cleared', suspended: 'Suspended' };

/**
 * Flagged: accounts the suspicious-activity rules held for review (they keep working meanwhile).
 * Staff clear a flag with a note, or suspend the account for suspicious activity.
 */
export function FlaggedPanel() {
  const [clearing, setClearing] = useState<SuspiciousActivityFlag | null>(null);
  const [suspending, setSuspending] = useState<SuspiciousActivityFlag | null>(null);
  const flagged = useQuery({
    queryKey: flaggedKey,
    queryFn: () => api.get<FlaggedList>('/api/staff/suspicious-activity'),
  });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} fz="h3">
          Flagged for suspicious activity
        </Title>
        <Button variant="default" size="xs" onClick={() => flagged.refetch()} loading={flagged.isFetching}>
          Refresh
        </Button>
      </Group>
      <Text fz="sm" c="dimmed">
        The operator's rules hold these accounts for review; they keep working until you suspend them.
        Resolved flags stay listed for 30 days.
      </Text>
      {flagged.isPending && <Loader size="sm" aria-label="Loading" />}
      {flagged.isError && <QueryError error={flagged.error} />}
      {flagged.data?.flags.length === 0 && <Text c="dimmed">No account is flagged.</Text>}
      {flagged.data?.flags.map((flag) => (
        <Card key={flag.id} withBorder padding="lg" aria-label={`Flag of ${flag.accountName}`}>
          <Group justify="space-between" align="flex-start" wrap="nowrap">
            <Stack gap={6}>
              <Group gap="xs">
                <Text fw={600}>{flag.accountName}</Text>
                <Badge variant="light" color="gray">
                  {flag.authId}
                </Badge>
                <Badge variant="light" color={flag.accountStatus === 'active' ? 'teal' : 'red'}>
                  {flag.accountStatus.replace('_', ' ')}
                </Badge>
              </Group>
              <Text fz="sm" fw={500} c="orange.9">
                {flag.ruleLabel}
              </Text>
              <Text fz="sm">{flag.summary}</Text>
              <Text fz="xs" c="dimmed">
                Flagged {new Date(flag.createdAt).toLocaleString()}
                {flag.resolvedAt &&
                  ` · ${outcomeLabels[flag.outcome ?? ''] ?? flag.outcome} ${new Date(flag.resolvedAt).toLocaleString()}`}
              </Text>
              {flag.note && <Text fz="sm">Note: {flag.note}</Text>}
            </Stack>
            {flag.resolvedAt === null && (
              <Group gap="xs" wrap="nowrap">
                <Button variant="default" onClick={() => setClearing(flag)}>
                  Clear
                </Button>
                {flag.accountStatus === 'active' && (
                  <Button color="red" onClick={() => setSuspending(flag)}>
                    Suspend
                  </Button>
                )}
              </Group>
            )}
          </Group>
        </Card>
      ))}
      <ClearDialog flag={clearing} onClose={() => setClearing(null)} />
      <SuspensionDialog
        key={suspending?.id ?? 'none'}
        account={
          suspending && {
            id: suspending.accountId,
            authId: suspending.authId,
            name: suspending.accountName,
            status: suspending.accountStatus,
          }
        }
        prefill={{ reason: 'suspicious_activity', text: suspending?.summary ?? '' }}
        onClose={() => setSuspending(null)}
      />
    </Stack>
  );
}

function ClearDialog({ flag, onClose }: { flag: SuspiciousActivityFlag | null; onClose: () => void }) {
  return (
    <FormDialog
      opened={flag !== null}
      onClose={onClose}
      title={`Clear the flag of ${flag?.accountName ?? ''}`}
    >
      {flag && <ClearForm flag={flag} onClose={onClose} />}
    </FormDialog>
  );
}

function ClearForm({ flag, onClose }: { flag: SuspiciousActivityFlag; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => api.post(`/api/staff/suspicious-activity/${flag.id}/clear`, { note }),
    onSuccess: () => {
      queryClient.invalidateQueries({ queryKey: flaggedKey });
      onClose();
    },
  });
  return (
    <DialogForm save={save} submitLabel="Clear" onCancel={onClose} errorFields={['note']}>
      <Alert color="gray" title={`${flag.accountName} (${flag.authId})`}>
        {flag.summary}
      </Alert>
      <Textarea
        label="Note"
        description="Why the activity is fine (audited)."
        autosize
        minRows={3}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        error={fieldError(save.error, 'note')}
      />
    </DialogForm>
  );
}
