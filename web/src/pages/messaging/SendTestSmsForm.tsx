import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NativeSelect,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';
import { fieldError } from '../../api';
import { FormAlert } from '../../components/FormAlert';
import { QueryError } from '../../components/QueryError';
import { type Senders, useSenders, useSendMessage } from './messaging';

type Sender = Senders['senders'][number];

/** How the form names a sender: the number or sender ID, and whose it is. */
function senderLabel(sender: Sender) {
  const owner = sender.subaccount ? sender.subaccount.name : 'Main account';
  return sender.kind === 'number' ? `+${sender.src} (${owner})` : `${sender.src}, sender ID (${owner})`;
}

/**
 * "Send a test SMS": from a number with SMS or a whitelisted sender ID (sent as the main account or
 * the subaccount it belongs to), rated and charged as the Message API would; the logs below show it
 * reach its final state.
 */
export function SendTestSmsForm() {
  const senders = useSenders();
  const send = useSendMessage();
  const [senderIndex, setSenderIndex] = useState('0');
  const [dst, setDst] = useState('');
  const [text, setText] = useState('');
  const list = senders.data?.senders ?? [];
  const sender = list[Number(senderIndex)];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!sender) return;
    send.mutate({
      src: sender.src,
      dst,
      text,
      ...(sender.subaccount ? { subaccount: sender.subaccount.authId } : {}),
    });
  };

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Title order={3} fz="h4">
          Send a test SMS
        </Title>
        {senders.isError && <QueryError error={senders.error} />}
        {senders.data && list.length === 0 && (
          <Text fz="sm" c="dimmed">
            There is nothing to send from yet: rent a number with SMS on{' '}
            <Anchor component={Link} to="/numbers" fz="sm">
              Phone Numbers
            </Anchor>{' '}
            or whitelist a sender ID on{' '}
            <Anchor component={Link} to="/messaging/sender-ids" fz="sm">
              Messaging › Sender IDs
            </Anchor>
            .
          </Text>
        )}
        {list.length > 0 && (
          <form onSubmit={submit} aria-label="Send a test SMS">
            <Stack gap="sm">
              <Group align="flex-start" grow>
                <NativeSelect
                  label="From"
                  value={senderIndex}
                  onChange={(event) => setSenderIndex(event.currentTarget.value)}
                  data={list.map((candidate, index) => ({
                    value: String(index),
                    label: senderLabel(candidate),
                  }))}
                  error={fieldError(send.error, 'src')}
                />
                <TextInput
                  label="To"
                  placeholder="+14155550123"
                  description="With its country code"
                  required
                  value={dst}
                  onChange={(event) => setDst(event.currentTarget.value)}
                  error={fieldError(send.error, 'dst')}
                />
              </Group>
              <Textarea
                label="Text"
                required
                autosize
                minRows={2}
                maxLength={1600}
                description={`${text.length} of 1,600 characters; long texts go in several segments, each charged`}
                value={text}
                onChange={(event) => setText(event.currentTarget.value)}
                error={fieldError(send.error, 'text')}
              />
              <FormAlert error={send.error} fields={['src', 'dst', 'text']} />
              {send.data && !send.isPending && !send.isError && (
                <Alert color="teal" variant="light" role="status">
                  Queued:{' '}
                  {send.data.messageUuids.map((uuid) => (
                    <Anchor key={uuid} component={Link} to={`/messaging/logs/${uuid}`} fz="sm" mr="xs">
                      {uuid}
                    </Anchor>
                  ))}
                  {send.data.invalidNumbers.length > 0 &&
                    `Not sent to ${send.data.invalidNumbers.join(', ')}.`}
                </Alert>
              )}
              <Group>
                <Button type="submit" loading={send.isPending} disabled={!dst.trim() || !text}>
                  Send
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}
