import { Alert, Text } from '@mantine/core';
import type { PhoneCodeSent } from '@server/modules/identity/schemas';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { type PhoneChannel, useReloadSession } from '../../session';
import { EnterCodeForm, SendCodeForm } from '../PhoneCodeSteps';

/** Step 2: a code by SMS or voice call proves the phone, which becomes the person's second factor. */
export function PhoneStep() {
  const reload = useReloadSession();
  const [phone, setPhone] = useState('');
  const [channel, setChannel] = useState<PhoneChannel>('sms');
  const [code, setCode] = useState('');
  const [sent, setSent] = useState<PhoneCodeSent | null>(null);
  const send = useMutation({
    mutationFn: () => api.post<PhoneCodeSent>('/api/onboarding/phone', { phone, channel }),
    onSuccess: (result) => {
      setSent(result);
      setCode('');
    },
  });
  const verify = useMutation({
    mutationFn: () => api.post('/api/onboarding/phone/verify', { code }),
    onSuccess: () => reload(),
  });

  if (!sent) {
    return (
      <SendCodeForm
        send={send}
        channel={channel}
        onChannelChange={setChannel}
        phone={{ label: 'Phone number', value: phone, onChange: setPhone }}
        placement="page"
      >
        <Text>
          Your phone is your second factor when you sign in. Enter a number that can receive a text or a call.
        </Text>
      </SendCodeForm>
    );
  }

  return (
    <EnterCodeForm
      code={code}
      onCodeChange={setCode}
      verify={verify}
      verifyLabel="Verify phone"
      resend={send}
      onOtherNumber={() => {
        setSent(null);
        send.reset();
        verify.reset();
      }}
      placement="page"
    >
      <Alert color="blue" variant="light">
        {sent.channel === 'voice' ? 'We are calling' : 'We sent a text to'} <b>{sent.phone}</b> with a 6-digit
        code. It expires in 10 minutes.
      </Alert>
    </EnterCodeForm>
  );
}
