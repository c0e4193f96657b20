import { Alert, Button, Code, CopyButton, Group, Image, Stack, Stepper, Text } from '@mantine/core';
import type { Provisioning } from '@server/modules/identity/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import type { PhoneChannel } from '../../session';
import { CodeInput } from '../CodeInput';
import { FormAlert } from '../FormAlert';
import { FormDialog } from '../FormDialog';
import { EnterCodeForm, SendCodeForm } from '../PhoneCodeSteps';
import { securityKey } from './overview';

/** Add authenticator app: a code to the phone, then the QR code to scan, then a code from the app. */
export function AddAuthenticatorDialog({
  phoneNumber,
  opened,
  onClose,
}: {
  phoneNumber: string | null;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <FormDialog opened={opened} onClose={onClose} title="Add authenticator app" size="lg">
      <AddAuthenticatorSteps phoneNumber={phoneNumber} onClose={onClose} />
    </FormDialog>
  );
}

function AddAuthenticatorSteps({
  phoneNumber,
  onClose,
}: {
  phoneNumber: string | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const [channel, setChannel] = useState<PhoneChannel>('sms');
  const [phoneCode, setPhoneCode] = useState('');
  const [appCode, setAppCode] = useState('');
  const start = useMutation({
    mutationFn: () => api.post('/api/security/authenticator', { channel }),
    onSuccess: () => setStep(1),
  });
  const verifyPhone = useMutation({
    mutationFn: () => api.post<Provisioning>('/api/security/authenticator/verify-phone', { code: phoneCode }),
    onSuccess: () => setStep(2),
  });
  const confirm = useMutation({
    mutationFn: () => api.post('/api/security/authenticator/confirm', { code: appCode }),
    onSuccess: () => {
      setStep(3);
      queryClient.invalidateQueries({ queryKey: securityKey });
    },
  });
  const on = (action: () => void) => (event: FormEvent) => {
    event.preventDefault();
    action();
  };
  const provisioning = verifyPhone.data;

  return (
    <Stepper active={step} size="xs">
      <Stepper.Step label="Phone code">
        <SendCodeForm send={start} channel={channel} onChannelChange={setChannel} placement="dialog">
          <Text fz="sm">First we check it is you: we send a code to your phone {phoneNumber ?? ''}.</Text>
        </SendCodeForm>
      </Stepper.Step>
      <Stepper.Step label="Scan">
        <EnterCodeForm
          code={phoneCode}
          onCodeChange={setPhoneCode}
          verify={verifyPhone}
          verifyLabel="Continue"
          resend={start}
          placement="dialog"
        >
          <Text fz="sm">Enter the code we sent to {phoneNumber ?? 'your phone'}.</Text>
        </EnterCodeForm>
      </Stepper.Step>
      <Stepper.Step label="Confirm">
        {provisioning && (
          <form onSubmit={on(() => confirm.mutate())} noValidate>
            <Stack>
              <Text fz="sm">
                Scan this QR code with your authenticator app, then enter the code it shows.
              </Text>
              <Group align="flex-start" wrap="nowrap" gap="lg">
                <Image src={provisioning.qrCode} alt="QR code for your authenticator app" w={180} h={180} />
                <Stack gap={6}>
                  <Text fz="sm">Cannot scan it? Enter this key in the app instead:</Text>
                  <Code fz="sm" data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
                    {provisioning.secret}
                  </Code>
                  <CopyButton value={provisioning.secret}>
                    {({ copied, copy }) => (
                      <Button size="compact-xs" variant="light" onClick={copy} w="fit-content">
                        {copied ? 'Copied' : 'Copy key'}
                      </Button>
                    )}
                  </CopyButton>
                </Stack>
              </Group>
              <CodeInput
                label="Code from the app"
                value={appCode}
                onChange={setAppCode}
                error={fieldError(confirm.error, 'code')}
              />
              <FormAlert error={confirm.error} fields={['code']} />
              <Group justify="flex-end">
                <Button type="submit" loading={confirm.isPending}>
                  Turn on
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stepper.Step>
      <Stepper.Completed>
        <Stack>
          <Alert color="teal" role="status">
            Your authenticator app is set up. Next time you sign in you can use a code from it.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Stepper.Completed>
    </Stepper>
  );
}
