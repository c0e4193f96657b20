import { Alert, Button, Group, SegmentedControl, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, fieldError } from '../api';
import type { FactorMethod, PhoneChannel, SignInMethod } from '../session';
import { ChannelControl } from './ChannelControl';
import { CodeInput } from './CodeInput';
import { FormAlert } from './FormAlert';

export const methodLabels: Record<FactorMethod, string> = {
  totp: 'Authenticator app',
  phone: 'Phone',
  recovery_code: 'Recovery code',
};

/** How a sign-in was proven, as Security's recent sign-ins name it. */
export const signInMethodLabels: Record<SignInMethod, string> = { ...methodLabels, passkey: 'Passkey' };

const preferredMethod = (methods: FactorMethod[]): FactorMethod =>
  methods.includes('totp') ? 'totp' : methods.includes('phone') ? 'phone' : 'recovery_code';

/** The method and code a FactorChallenge edits, starting with the app, else the phone. */
export function useFactorChoice(methods: FactorMethod[]) {
  const [method, setMethod] = useState<FactorMethod>(() => preferredMethod(methods));
  const [code, setCode] = useState('');
  return { methods, method, setMethod, code, setCode };
}

export type FactorChoice = ReturnType<typeof useFactorChoice>;

/**
 * Proving it is you with a second factor: choose a method, have a phone code sent (SMS or voice)
 * when the method is the phone, and type the code. `check` is the request that checks the code: its
 * refusal shows at the code, and choosing another method clears both. `phoneCodePath` is where
 * phone codes are asked for.
 */
export function FactorChallenge({
  choice,
  check,
  phoneCodePath,
}: {
  choice: FactorChoice;
  check: { error: unknown; reset: () => void };
  phoneCodePath: string;
}) {
  const { methods, method, code } = choice;
  const onMethodChange = (next: FactorMethod) => {
    choice.setMethod(next);
    choice.setCode('');
    check.reset();
  };
  const onCodeChange = choice.setCode;
  const codeError = fieldError(check.error, 'code');
  const [channel, setChannel] = useState<PhoneChannel>('sms');
  const sendCode = useMutation({ mutationFn: () => api.post(phoneCodePath, { channel }) });
  return (
    <Stack gap="sm">
      {methods.length > 1 && (
        <SegmentedControl
          fullWidth
          // Three methods fit a sign-in card only in the smaller size, each as wide as its label needs
          // (equal thirds clip "Authenticator app").
          size="xs"
          styles={{ control: { flex: 'auto' } }}
          value={method}
          onChange={(next) => onMethodChange(next as FactorMethod)}
          data={methods.map((value) => ({ value, label: methodLabels[value] }))}
        />
      )}
      {method === 'totp' && (
        <Text fz="sm" c="dimmed">
          Enter the 6-digit code your authenticator app shows for Switchboard.
        </Text>
      )}
      {method === 'phone' && (
        <Stack gap="xs">
          <ChannelControl value={channel} onChange={setChannel} />
          <Group>
            <Button variant="default" onClick={() => sendCode.mutate()} loading={sendCode.isPending}>
              {sendCode.isSuccess ? 'Send a new code' : 'Send code'}
            </Button>
          </Group>
          {sendCode.isSuccess && (
            <Alert color="blue" variant="light">
              Code sent to your phone {channel === 'voice' ? 'by voice call' : 'by SMS'}. It expires in 10
              minutes.
            </Alert>
          )}
          <FormAlert error={sendCode.error} />
        </Stack>
      )}
      {method === 'recovery_code' ? (
        <TextInput
          label="Recovery code"
          placeholder="xxxxx-xxxxx"
          autoComplete="off"
          required
          value={code}
          onChange={(event) => onCodeChange(event.currentTarget.value)}
          error={codeError}
          description="Each recovery code works once."
        />
      ) : (
        <CodeInput value={code} onChange={onCodeChange} error={codeError} />
      )}
    </Stack>
  );
}
