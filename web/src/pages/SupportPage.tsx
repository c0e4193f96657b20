import {
  Alert,
  Anchor,
  Button,
  FileInput,
  Select,
  Stack,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api, fieldError, formError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import {
  acceptedFiles,
  categories,
  label,
  priorities,
  type TicketCreated,
  uploadsOf,
} from '../components/support/tickets';
import { placeOf, useSession } from '../session';

/** /support: Create New Ticket (signed in or not) and Check Ticket Status. */
export function SupportPage() {
  const session = useSession();
  const signedIn = session.data ? placeOf(session.data) === 'console' : false;
  return (
    <AuthLayout
      title="Support"
      width={640}
      description="Create a ticket and we answer by email; check a ticket's status at any time."
      footer={
        signedIn ? (
          <Anchor component={Link} to="/support/tickets">
            Your account's tickets
          </Anchor>
        ) : undefined
      }
    >
      <Tabs defaultValue="create" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="create">Create New Ticket</Tabs.Tab>
          <Tabs.Tab value="status">Check Ticket Status</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="create">
          <CreateTicketForm signedIn={signedIn} defaultEmail={session.data?.user?.email ?? ''} />
        </Tabs.Panel>
        <Tabs.Panel value="status">
          <CheckStatusForm />
        </Tabs.Panel>
      </Tabs>
    </AuthLayout>
  );
}

function CreateTicketForm({ signedIn, defaultEmail }: { signedIn: boolean; defaultEmail: string }) {
  const [email, setEmail] = useState(defaultEmail);
  const [subject, setSubject] = useState('');
  const [description, setDescription] = useState('');
  const [category, setCategory] = useState<string | null>('technical');
  const [priority, setPriority] = useState<string | null>('normal');
  const [files, setFiles] = useState<File[]>([]);
  const create = useMutation({
    mutationFn: async () =>
      api.post<TicketCreated>(signedIn ? '/api/tickets' : '/api/support/tickets', {
        email: email || defaultEmail,
        subject,
        description,
        category,
        priority,
        attachments: await uploadsOf(files),
      }),
  });
  if (create.data)
    return (
      <Alert color="green" title="Ticket created">
        Your ticket number is <strong>{create.data.number}</strong>. We emailed it to you; keep it to check
        the ticket's status.
      </Alert>
    );
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        create.mutate();
      }}
    >
      <Stack gap="sm">
        <TextInput
          label="Email"
          type="email"
          required
          value={email || defaultEmail}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldError(create.error, 'email')}
        />
        <TextInput
          label="Subject"
          required
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
        />
        <Textarea
          label="Description"
          required
          minRows={4}
          value={description}
          onChange={(e) => setDescription(e.currentTarget.value)}
        />
        <Select
          label="Category"
          data={categories.map((value) => ({ value, label: label(value) }))}
          value={category}
          onChange={setCategory}
          allowDeselect={false}
        />
        <Select
          label="Priority"
          data={priorities.map((value) => ({ value, label: label(value) }))}
          value={priority}
          onChange={setPriority}
          allowDeselect={false}
        />
        <FileInput
          label="Attachments"
          description="Up to 3 files: PDF, PNG, JPEG, GIF, WebP or text"
          multiple
          clearable
          accept={acceptedFiles}
          value={files}
          onChange={setFiles}
        />
        {create.isError && <Alert color="red">{formError(create.error, ['email'])}</Alert>}
        <Button type="submit" loading={create.isPending}>
          Create New Ticket
        </Button>
      </Stack>
    </form>
  );
}

function CheckStatusForm() {
  const [number, setNumber] = useState('');
  const [email, setEmail] = useState('');
  const check = useMutation({
    mutationFn: () => api.post<{ message: string }>('/api/support/status', { number, email }),
  });
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        check.mutate();
      }}
    >
      <Stack gap="sm">
        <Text fz="sm" c="dimmed">
          Enter the ticket number and the email you created it with; we email you a link to the ticket.
        </Text>
        <TextInput
          label="Ticket number"
          placeholder="T-000123"
          required
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
        />
        <TextInput
          label="Email"
          type="email"
          required
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        {check.data && <Alert color="blue">{check.data.message}</Alert>}
        {check.isError && <Alert color="red">{formError(check.error)}</Alert>}
        <Button type="submit" loading={check.isPending}>
          Check Ticket Status
        </Button>
      </Stack>
    </form>
  );
}
