import { Alert, Anchor, Button, Card, FileInput, Loader, Stack, Text, Textarea, Title } from '@mantine/core';
import type { SuspensionState, SuspensionView } from '@server/modules/accounts/suspension-schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { useAccess } from '../../access';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { QueryError } from '../QueryError';
import { acceptedFiles, uploadsOf } from '../support/tickets';

const suspensionKey = ['account', 'suspension'] as const;

/** Where each reason's fix is done in the console. */
const fixes: Partial<Record<SuspensionView['reason'], { label: string; to: string }>> = {
  payment_failure: { label: 'Billing > Payment Settings', to: '/billing/payment-settings' },
  suspicious_activity: { label: 'Account > Settings > Security', to: '/account/settings/security' },
};

/**
 * What a suspended account's members see instead of the console's pages: the notice (reason,
 * details, what to address) and "Request reinstatement" for the Owner and Admins.
 */
export function SuspensionNotice() {
  const access = useAccess();
  const client = useQueryClient();
  const [message, setMessage] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const notice = useQuery({
    queryKey: suspensionKey,
    queryFn: () => api.get<SuspensionState>('/api/account/suspension'),
  });
  const request = useMutation({
    mutationFn: async () =>
      api.post<SuspensionView>('/api/account/reinstatement-request', {
        message,
        attachments: await uploadsOf(files),
      }),
    onSuccess: (view) => client.setQueryData(suspensionKey, { suspension: view }),
  });
  if (notice.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (notice.isError) return <QueryError error={notice.error} />;
  const suspension = notice.data.suspension;
  const fix = suspension ? fixes[suspension.reason] : undefined;
  return (
    <Card withBorder padding="lg" maw={760}>
      <Stack>
        <Title order={2} fz="h3">
          Your account is suspended
        </Title>
        {suspension ? (
          <>
            <Text>
              Reason: <strong>{suspension.reasonLabel}</strong>, since{' '}
              {new Date(suspension.suspendedAt).toLocaleString()}.
            </Text>
            <Alert color="red" title="From our team">
              <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {suspension.details}
              </Text>
            </Alert>
            <Text fz="sm">
              What to address: {suspension.whatToAddress}{' '}
              {fix && (
                <Anchor component={Link} to={fix.to}>
                  Go to {fix.label}
                </Anchor>
              )}
            </Text>
            <Text fz="sm" c="dimmed">
              While suspended, the API answers 403, calls in progress are ended and nothing new starts;
              scheduled messages are held and your numbers stay rented. The notice was also emailed to the
              Owner and Admins.
            </Text>
            {suspension.reinstatementRequestedAt ? (
              <Alert color="blue" title="Reinstatement requested" role="status">
                Requested {new Date(suspension.reinstatementRequestedAt).toLocaleString()}
                {suspension.reinstatementTicket && (
                  <>
                    {' '}
                    as ticket{' '}
                    <Anchor component={Link} to="/support/tickets">
                      {suspension.reinstatementTicket}
                    </Anchor>
                  </>
                )}
                . Our staff review it and email the Owner and Admins.
              </Alert>
            ) : access.can('requestReinstatement') ? (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  request.mutate();
                }}
              >
                <Stack>
                  <Textarea
                    label="Request reinstatement"
                    description="Tell us what you addressed."
                    autosize
                    minRows={3}
                    value={message}
                    onChange={(event) => setMessage(event.currentTarget.value)}
                    error={fieldError(request.error, 'message')}
                  />
                  <FileInput
                    label="Documents"
                    description="Up to 3 files for our staff: PDF, PNG, JPEG, GIF, WebP or text"
                    multiple
                    clearable
                    accept={acceptedFiles}
                    value={files}
                    onChange={setFiles}
                  />
                  <FormAlert error={request.error} fields={['message']} />
                  <Button type="submit" loading={request.isPending} w="fit-content">
                    Request reinstatement
                  </Button>
                </Stack>
              </form>
            ) : (
              <Text fz="sm">Ask the account’s Owner or an Admin to request reinstatement.</Text>
            )}
          </>
        ) : (
          <Text>Contact support for the details.</Text>
        )}
      </Stack>
    </Card>
  );
}
