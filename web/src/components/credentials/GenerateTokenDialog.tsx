import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import type { GenerateToken, IssuedToken } from '@server/modules/credentials/schemas';
import { type QueryKey, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { CredentialValue } from './CredentialValue';
import { credentialsKey } from './credentials';

type OldTokens = 'keep' | 'revoke';

/**
 * Generate Auth Token: choose to keep or revoke the old token, then see the new one, to copy.
 * The account's own tokens by default; a subaccount's with its `path` and list `queryKey`.
 */
export function GenerateTokenDialog({
  opened,
  onClose,
  title = 'Generate Auth Token',
  path = '/api/credentials/tokens',
  queryKey = credentialsKey,
  afterwards = 'It is now the Auth Token shown above; the list below names each live token by its last 4 characters.',
  keptUntil = 'It keeps working until you revoke it under Live Auth Tokens, so you can move your applications over first.',
}: {
  opened: boolean;
  onClose: () => void;
  title?: string;
  path?: string;
  queryKey?: QueryKey;
  /** Where the new token can be read again. */
  afterwards?: string;
  /** How long a kept old token keeps working, and where it is revoked. */
  keptUntil?: string;
}) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [oldTokens, setOldTokens] = useState<OldTokens | null>(null);
  const generate = useMutation({
    mutationFn: (keepOldTokens: boolean) =>
      reauthentication.run(() => api.post<IssuedToken>(path, { keepOldTokens } satisfies GenerateToken)),
    onSettled: () => queryClient.invalidateQueries({ queryKey }),
  });
  const close = () => {
    setOldTokens(null);
    generate.reset();
    onClose();
  };

  return (
    <>
      <Modal opened={opened} onClose={close} title={title} centered size="lg">
        {generate.isSuccess ? (
          <Stack>
            <Alert color="teal" title="Your new Auth Token" role="status">
              Copy it now and update your applications. {afterwards}
            </Alert>
            <CredentialValue label="New Auth Token" value={generate.data.authToken} testId="new-auth-token" />
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <Stack>
            <Radio.Group
              label="What happens to the old token?"
              value={oldTokens}
              onChange={(value) => setOldTokens(value as OldTokens)}
            >
              <Stack gap="sm" mt="xs">
                <Radio
                  value="revoke"
                  label="Revoke the old token"
                  description="Requests with the old token are refused at once."
                />
                <Radio value="keep" label="Keep the old token" description={keptUntil} />
              </Stack>
            </Radio.Group>
            {oldTokens === 'revoke' && (
              <Alert color="yellow" title="Important">
                Integrations using the old token stop working at once. Update your applications with the new
                token immediately.
              </Alert>
            )}
            <Text fz="sm" c="dimmed">
              The owner and admins of the account are emailed a security notice.
            </Text>
            <FormAlert error={generate.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button
                disabled={!oldTokens}
                loading={generate.isPending}
                onClick={() => generate.mutate(oldTokens === 'keep')}
              >
                Generate
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {reauthentication.dialog}
    </>
  );
}
