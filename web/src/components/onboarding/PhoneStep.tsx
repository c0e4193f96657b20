import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { type PhoneChannel, useReloadSession } from '../../session';
import { ChannelControl } from '../ChannelControl';
import { CodeInput } from '../CodeInput';
import { FormAlert } from '../FormAlert';

interface CodeSent {
  phone: string;
  channel: PhoneChannel;
  expiresInSeconds: number;
}

/** Step 2: a code by SMS or voice call proves the phone, which becomes the person's second factor. */
export function PhoneStep() {
  const reload = useReloadSession();
  const [phone, setPhone] = useState('');
  const [channel, setChannel] = useState<PhoneChannel>('sms');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<CodeSent | null>(null);
  const send = useMutation({
    mutationFn: () => api.post<CodeSent>('/api/onboarding/phone', { phone, channel }),
    onSuccess: (result) => {
      setSent(result);
      setCode('');
    },
  });
  const verify = useMutation({
    mutationFn: () => api.post('/api/onboarding/phone/verify', { code }),
    onSuccess: () => reload(),
  });

  const sendCode = (event: FormEvent) => {
    event.preventDefault();
    send.mutate();
  };
  const verifyCode = (event: FormEvent) => {
    event.preventDefault();
    verify.mutate();
  };

  if (!sent) {
    return (
      <form onSubmit={sendCode} noValidate>
        <Stack maw={420}>
          <Text>
            Your phone is your second factor when you sign in. Enter a number that can receive a text or a
            call.
          </Text>
          <TextInput
            label="Phone number"
            type="tel"
            autoComplete="tel"
            placeholder="+14155550123"
            description="With its country code"
            required
            value={phone}
            onChange={(event) => setPhone(event.currentTarget.value)}
            error={fieldError(send.error, 'phone')}
          />
          <ChannelControl value={channel} onChange={setChannel} />
          <FormAlert error={send.error} fields={['phone']} />
          <Group>
            <Button type="submit" loading={send.isPending}>
              Send code
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  return (
    <form onSubmit={verifyCode} noValidate>
      <Stack maw={420}>
        <Alert color="blue" variant="light">
          {sent.channel === 'voice' ? 'We are calling' : 'We sent a text to'} <b>{sent.phone}</b> with a
          6-digit code. It expires in 10 minutes.
        </Alert>
        <CodeInput value={code} onChange={setCode} error={fieldError(verify.error, 'code')} data-autofocus />
        <FormAlert error={verify.error} fields={['code']} />
        <FormAlert error={send.error} />
        <Group>
          <Button type="submit" loading={verify.isPending}>
            Verify phone
          </Button>
          <Button variant="default" onClick={() => send.mutate()} loading={send.isPending}>
            Send a new code
          </Button>
          <Button
            variant="subtle"
            onClick={() => {
              setSent(null);
              send.reset();
              verify.reset();
            }}
          >
            Use another number
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
