import {
  Anchor,
  Button,
  Container,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';

/** Sign in, step 1. */
export function App() {
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<string | null>(null);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const response = await fetch('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: form.get('email'), password: form.get('password') }),
    });
    const body = await response.json();
    if (!response.ok) setError(body.detail);
    else setStage(body.stage);
  }
  return (
    <Container size={420} py={80}>
      <Title order={2}>Sign in to Switchboard</Title>
      <Paper withBorder p="lg" mt="lg" component="form" onSubmit={submit}>
        <Stack>
          <TextInput name="email" label="Work email" required />
          <PasswordInput name="password" label="Password" required />
          {error && <Text c="red">{error}</Text>}
          {stage && <Text>Signed in: next step {stage}</Text>}
          <Button type="submit">Sign in</Button>
          <Anchor href="/docs">API reference</Anchor>
        </Stack>
      </Paper>
    </Container>
  );
}
