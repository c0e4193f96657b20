import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import type { EmailAnswer } from '@server/modules/identity/schemas';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api';
import { type ConsoleSession, useReloadSession, useSession } from '../../session';
import { FormAlert } from '../FormAlert';

/** Step 1: the activation link; the page notices by itself when it was followed in another tab. */
export function VerifyEmailStep({ session }: { session: ConsoleSession }) {
  useSession({ refetchInterval: 5000 });
  const reload = useReloadSession();
  const resend = useMutation({
    mutationFn: () => api.post<EmailAnswer>('/api/email-verification/resend'),
  });
  const check = useMutation({ mutationFn: reload });
  return (
    <Stack>
      <Text fw={500} fz="lg">
        Check your inbox
      </Text>
      <Text>
        We sent an activation link to <b>{session.user.email}</b>. Open it to verify your email address; the
        link works once, for 24 hours. Look in your spam folder if you do not see it.
      </Text>
      {resend.isSuccess && <Alert color="teal">A new link is on its way to {resend.data.email}.</Alert>}
      <FormAlert error={resend.error} />
      <Group>
        <Button variant="default" onClick={() => resend.mutate()} loading={resend.isPending}>
          Resend the email
        </Button>
        <Button variant="subtle" onClick={() => check.mutate()} loading={check.isPending}>
          I have verified my email
        </Button>
      </Group>
    </Stack>
  );
}
