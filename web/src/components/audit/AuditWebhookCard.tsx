import {
  Alert,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Loader,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useEffect, useState } from 'react';
import { fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { QueryError } from '../QueryError';
import { useAuditWebhook, useAuditWebhookChanges } from './audit';

/**
 * The audit webhook: a URL each new event is POSTed to, signed (X-Switchboard-Signature over the
 * timestamp and body); the signing secret is shown once, when issued.
 */
export function AuditWebhookCard() {
  const webhook = useAuditWebhook();
  const { save, remove, rotate } = useAuditWebhookChanges();
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | undefined>();
  useEffect(() => setUrl(webhook.data?.url ?? ''), [webhook.data?.url]);
  useEffect(() => {
    if (save.data?.secret) setSecret(save.data.secret);
  }, [save.data]);
  useEffect(() => {
    if (rotate.data?.secret) setSecret(rotate.data.secret);
  }, [rotate.data]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(url);
  };

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h4">
          Webhook
        </Title>
        <Text fz="sm" c="dimmed">
          Each new audit event is POSTed as JSON to this URL, signed with your secret, and retried for about
          an hour while your endpoint fails: feed it to your SIEM.
        </Text>
        {webhook.isPending && <Loader size="sm" aria-label="Loading" />}
        {webhook.isError && <QueryError error={webhook.error} />}
        {webhook.data && (
          <form onSubmit={submit} aria-label="Audit webhook">
            <Stack>
              <TextInput
                label="Webhook URL"
                placeholder="https://siem.example.com/switchboard"
                value={url}
                onChange={(event) => setUrl(event.currentTarget.value)}
                error={fieldError(save.error, 'url')}
              />
              <FormAlert error={save.error ?? remove.error ?? rotate.error} fields={['url']} />
              {secret && (
                <Alert color="teal" title="Signing secret (shown once)" role="status">
                  <Group gap="xs">
                    <Code aria-label="Signing secret">{secret}</Code>
                    <CopyButton value={secret}>
                      {({ copied, copy }) => (
                        <Button size="compact-xs" variant="light" onClick={copy}>
                          {copied ? 'Copied' : 'Copy'}
                        </Button>
                      )}
                    </CopyButton>
                  </Group>
                </Alert>
              )}
              <Group justify="flex-end">
                {webhook.data.url && (
                  <>
                    <Button variant="subtle" loading={rotate.isPending} onClick={() => rotate.mutate()}>
                      New signing secret
                    </Button>
                    <Button
                      variant="default"
                      loading={remove.isPending}
                      onClick={() => {
                        setSecret(undefined);
                        remove.mutate();
                      }}
                    >
                      Remove
                    </Button>
                  </>
                )}
                <Button type="submit" loading={save.isPending} disabled={url.trim() === ''}>
                  Save webhook
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
