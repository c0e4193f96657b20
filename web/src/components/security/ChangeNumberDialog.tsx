import { Alert, Button, Group, Stack, Stepper, Text } from '@mantine/core';
import type { NewPhoneCodeSent, PhoneAnswer } from '@server/modules/identity/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import type { PhoneChannel } from '../../session';
import { FactorChallenge, useFactorChoice } from '../FactorChallenge';
import { FormAlert } from '../FormAlert';
import { FormDialog } from '../FormDialog';
import { EnterCodeForm, SendCodeForm } from '../PhoneCodeSteps';
import { methodsOf, type SecurityOverview, securityKey } from './overview';

/** Change Number: confirm it is you with a current method, enter the new number, verify it with its code. */
export function ChangeNumberDialog({
  overview,
  opened,
  onClose,
}: {
  overview: SecurityOverview;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <FormDialog opened={opened} onClose={onClose} title="Change Number" size="lg">
      <ChangeNumberSteps overview={overview} onClose={onClose} />
    </FormDialog>
  );
}

function ChangeNumberSteps({ overview, onClose }: { overview: SecurityOverview; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [step, setStep] = useState(0);
  const choice = useFactorChoice(methodsOf(overview));
  const [phone, setPhone] = useState('');
  const [channel, setChannel] = useState<PhoneChannel>('sms');
  const [newCode, setNewCode] = useState('');

  const authenticate = useMutation({
    mutationFn: () => api.post('/api/security/phone-change', { method: choice.method, code: choice.code }),
    onSuccess: () => setStep(1),
  });
  const sendToNew = useMutation({
    mutationFn: () => api.post<NewPhoneCodeSent>('/api/security/phone-change/number', { phone, channel }),
    onSuccess: () => {
      setNewCode('');
      setStep(2);
    },
  });
  const verify = useMutation({
    mutationFn: () => api.post<PhoneAnswer>('/api/security/phone-change/verify', { code: newCode }),
    onSuccess: () => {
      setStep(3);
      queryClient.invalidateQueries({ queryKey: securityKey });
    },
  });
  const on = (action: () => void) => (event: FormEvent) => {
    event.preventDefault();
    action();
  };

  return (
    <Stepper active={step} size="xs">
      <Stepper.Step label="Confirm it is you">
        <form onSubmit={on(() => authenticate.mutate())} noValidate>
          <Stack>
            <FactorChallenge choice={choice} check={authenticate} phoneCodePath="/api/security/phone-code" />
            <FormAlert error={authenticate.error} fields={['code']} />
            <Group justify="flex-end">
              <Button type="submit" loading={authenticate.isPending}>
                Continue
              </Button>
            </Group>
          </Stack>
        </form>
      </Stepper.Step>
      <Stepper.Step label="New number">
        <SendCodeForm
          send={sendToNew}
          channel={channel}
          onChannelChange={setChannel}
          phone={{ label: 'New phone number', value: phone, onChange: setPhone }}
          placement="dialog"
        />
      </Stepper.Step>
      <Stepper.Step label="Verify">
        <EnterCodeForm
          code={newCode}
          onCodeChange={setNewCode}
          verify={verify}
          verifyLabel="Verify new number"
          onOtherNumber={() => setStep(1)}
          placement="dialog"
        >
          <Text fz="sm">
            Enter the code we sent to {sendToNew.data?.phone ?? 'the new number'}. It expires in 10 minutes.
          </Text>
        </EnterCodeForm>
      </Stepper.Step>
      <Stepper.Completed>
        <Stack>
          <Alert color="teal" role="status">
            Your two-factor phone is now {verify.data?.phone}. We emailed you about the change.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      </Stepper.Completed>
    </Stepper>
  );
}
