import { Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ApplicationFields } from '../../../../src/modules/applications/schemas';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { type Application, applicationPath, applicationsKey } from './applications';
import { SubaccountSelect } from './SubaccountSelect';
import { UrlWithMethod } from './UrlWithMethod';

type Form = ReturnType<typeof formOf>;

const formOf = (application?: Application) =>
  ({
    app_name: application?.app_name ?? '',
    answer_url: application?.answer_url ?? '',
    answer_method: application?.answer_method ?? 'POST',
    hangup_url: application?.hangup_url ?? '',
    hangup_method: application?.hangup_method ?? 'POST',
    fallback_answer_url: application?.fallback_answer_url ?? '',
    fallback_method: application?.fallback_method ?? 'POST',
    message_url: application?.message_url ?? '',
    message_method: application?.message_method ?? 'POST',
    default_number_app: application?.default_app ?? false,
    default_endpoint_app: application?.default_endpoint_app ?? false,
    subaccount: application?.sub_account ?? '',
  }) satisfies ApplicationFields;

const callbacks = [
  ['answer_url', 'answer_method', 'Answer URL', 'Called when a call arrives; answers the call’s XML.'],
  ['hangup_url', 'hangup_method', 'Hangup URL', undefined],
  ['fallback_answer_url', 'fallback_method', 'Fallback answer URL', 'Called when the answer URL fails.'],
  ['message_url', 'message_method', 'Message URL', 'Called when a message arrives.'],
] as const;

/** Create an application, or edit one when `application` is given. */
export function ApplicationDialog({
  opened,
  application,
  onClose,
}: {
  opened: boolean;
  application?: Application;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={application ? `Edit ${application.app_name}` : 'Create Application'}
      centered
      size="lg"
    >
      {opened && <ApplicationForm application={application} onDone={onClose} />}
    </Modal>
  );
}

function ApplicationForm({ application, onDone }: { application?: Application; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(application));
  const set = <K extends keyof Form>(key: K, value: Form[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const save = useMutation({
    mutationFn: () =>
      application
        ? api.patch(applicationPath(application.app_id), form)
        : api.post('/api/applications', form),
    onSuccess: () => onDone(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: applicationsKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <TextInput
          label="Application name"
          required
          data-autofocus
          maxLength={200}
          value={form.app_name}
          onChange={(event) => set('app_name', event.currentTarget.value)}
        />
        {callbacks.map(([url, method, label, description]) => (
          <UrlWithMethod
            key={url}
            label={label}
            description={description}
            url={form[url]}
            method={form[method]}
            onUrlChange={(value) => set(url, value)}
            onMethodChange={(value) => set(method, value)}
          />
        ))}
        <SubaccountSelect value={form.subaccount} onChange={(value) => set('subaccount', value)} />
        <Checkbox
          label="Default application for numbers"
          checked={form.default_number_app}
          onChange={(event) => set('default_number_app', event.currentTarget.checked)}
        />
        <Checkbox
          label="Default application for endpoints"
          checked={form.default_endpoint_app}
          onChange={(event) => set('default_endpoint_app', event.currentTarget.checked)}
        />
        <FormAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending}>
            {application ? 'Save' : 'Create'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
