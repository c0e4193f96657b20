import { Button, Group, Stack, TextInput } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { fieldError } from '../api';
import type { PhoneChannel } from '../session';
import { ChannelControl } from './ChannelControl';
import { CodeInput } from './CodeInput';
import { FormAlert } from './FormAlert';

/** A request a step starts and reports on; a React Query mutation is one. */
export interface CodeRequest {
  mutate: () => void;
  isPending: boolean;
  error: unknown;
}

/** On a page the buttons follow the fields from the left; in a dialog they sit at its foot. */
type Placement = 'page' | 'dialog';

const submitWith = (action: () => void) => (event: FormEvent) => {
  event.preventDefault();
  action();
};

/**
 * Step one of proving a phone: what the code is for, the number when it is entered here, SMS or
 * voice call, and Send code. The same step in onboarding, Change Number and Add authenticator app.
 */
export function SendCodeForm({
  send,
  channel,
  onChannelChange,
  phone,
  placement,
  children,
}: {
  send: CodeRequest;
  channel: PhoneChannel;
  onChannelChange: (channel: PhoneChannel) => void;
  phone?: { label: string; value: string; onChange: (phone: string) => void };
  placement: Placement;
  children?: ReactNode;
}) {
  return (
    <form onSubmit={submitWith(send.mutate)} noValidate>
      <Stack maw={placement === 'page' ? 420 : undefined}>
        {children}
        {phone && (
          <TextInput
            label={phone.label}
            type="tel"
            autoComplete="tel"
            placeholder="+14155550123"
            description="With its country code"
            required
            value={phone.value}
            onChange={(event) => phone.onChange(event.currentTarget.value)}
            error={fieldError(send.error, 'phone')}
          />
        )}
        <ChannelControl value={channel} onChange={onChannelChange} />
        <FormAlert error={send.error} fields={phone ? ['phone'] : []} />
        <Group justify={placement === 'dialog' ? 'flex-end' : undefined}>
          <Button type="submit" loading={send.isPending}>
            Send code
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/**
 * Step two: where the code went, the code, the button that verifies it, and the ways back: Send a new
 * code (`resend`) and Use another number (`onOtherNumber`), where the flow offers them.
 */
export function EnterCodeForm({
  code,
  onCodeChange,
  verify,
  verifyLabel,
  resend,
  onOtherNumber,
  placement,
  children,
}: {
  code: string;
  onCodeChange: (code: string) => void;
  verify: CodeRequest;
  verifyLabel: string;
  resend?: CodeRequest;
  onOtherNumber?: () => void;
  placement: Placement;
  children: ReactNode;
}) {
  const submit = (
    <Button type="submit" loading={verify.isPending}>
      {verifyLabel}
    </Button>
  );
  const waysBack = (
    <>
      {resend && (
        <Button
          variant={placement === 'page' ? 'default' : 'subtle'}
          onClick={() => resend.mutate()}
          loading={resend.isPending}
        >
          Send a new code
        </Button>
      )}
      {onOtherNumber && (
        <Button variant="subtle" onClick={onOtherNumber}>
          Use another number
        </Button>
      )}
    </>
  );
  return (
    <form onSubmit={submitWith(verify.mutate)} noValidate>
      <Stack maw={placement === 'page' ? 420 : undefined}>
        {children}
        <CodeInput
          value={code}
          onChange={onCodeChange}
          error={fieldError(verify.error, 'code')}
          data-autofocus
        />
        <FormAlert error={verify.error} fields={['code']} />
        {resend && <FormAlert error={resend.error} />}
        {placement === 'page' ? (
          <Group>
            {submit}
            {waysBack}
          </Group>
        ) : (
          <Group justify="space-between">
            <Group gap="xs">{waysBack}</Group>
            {submit}
          </Group>
        )}
      </Stack>
    </form>
  );
}
