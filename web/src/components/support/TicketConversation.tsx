import { Alert, Anchor, Badge, Button, FileInput, Group, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { formError } from '../../api';
import { acceptedFiles, label, statusLabels, type Ticket, uploadsOf } from './tickets';

/** A ticket as its customer sees it: the conversation, a reply form and, when solved, Reopen. */
export function TicketConversation({
  ticket,
  reply,
  reopen,
  download,
}: {
  ticket: Ticket;
  reply: (body: string, attachments: Awaited<ReturnType<typeof uploadsOf>>) => Promise<unknown>;
  reopen: () => Promise<unknown>;
  download: (attachmentId: string, fileName: string) => Promise<void>;
}) {
  const [body, setBody] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const send = useMutation({
    mutationFn: async () => reply(body, await uploadsOf(files)),
    onSuccess: () => {
      setBody('');
      setFiles([]);
    },
  });
  const reopening = useMutation({ mutationFn: reopen });
  return (
    <Stack>
      <Group gap="xs">
        <Text fw={600}>
          {ticket.number}: {ticket.subject}
        </Text>
        <Badge aria-label="Ticket status">{statusLabels[ticket.status]}</Badge>
        <Badge variant="light">{label(ticket.priority)}</Badge>
        <Badge variant="outline">{label(ticket.category)}</Badge>
      </Group>
      {ticket.messages.map((message) => (
        <Paper key={message.id} withBorder p="sm" bg={message.author === 'support' ? 'indigo.0' : undefined}>
          <Text fz="xs" c="dimmed">
            {message.author === 'support' ? 'Support' : 'You'} ·{' '}
            {new Date(message.createdAt).toLocaleString()}
          </Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{message.body}</Text>
          {message.attachments.map((file) => (
            <Anchor key={file.id} component="button" fz="sm" onClick={() => download(file.id, file.fileName)}>
              {file.fileName} ({Math.ceil(file.size / 1024)} KB)
            </Anchor>
          ))}
        </Paper>
      ))}
      {ticket.status === 'solved' && ticket.reopenUntil && (
        <Alert color="green" title="Solved">
          <Stack gap="xs">
            <Text fz="sm">
              Not solved after all? You can reopen it until{' '}
              {new Date(ticket.reopenUntil).toLocaleDateString()}.
            </Text>
            <Group>
              <Button size="xs" onClick={() => reopening.mutate()} loading={reopening.isPending}>
                Reopen ticket
              </Button>
            </Group>
            {reopening.isError && <Text c="red">{formError(reopening.error)}</Text>}
          </Stack>
        </Alert>
      )}
      {ticket.status !== 'solved' && ticket.status !== 'closed' && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            send.mutate();
          }}
        >
          <Stack gap="xs">
            <Textarea
              label="Reply"
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              minRows={3}
              required
            />
            <FileInput
              label="Attach files"
              multiple
              accept={acceptedFiles}
              value={files}
              onChange={setFiles}
              clearable
            />
            {send.isError && <Alert color="red">{formError(send.error)}</Alert>}
            <Group>
              <Button type="submit" loading={send.isPending}>
                Send reply
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}
