import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import type { BusinessProfileSubmitted } from '@server/modules/identity/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useNavigate } from 'react-router';
import { meKey } from '../../access';
import { api, fieldError } from '../../api';
import { type AccountView, useReloadSession } from '../../session';
import { CountrySelect } from '../CountrySelect';
import { FormAlert } from '../FormAlert';

const FIELDS = ['companyName', 'website', 'country', 'intendedUse'];

/**
 * Step 3: business details; the account is activated at once or held for review (also when the
 * optional website or intended use is left empty). An account held as incomplete completes them
 * here too, starting from what was given (`given`); `onDone` follows a submission the server took.
 */
export function BusinessDetailsStep({
  given,
  onDone,
}: {
  given?: AccountView['businessProfile'];
  onDone?: () => void;
}) {
  const navigate = useNavigate();
  const reload = useReloadSession();
  const queryClient = useQueryClient();
  const [companyName, setCompanyName] = useState(given?.companyName ?? '');
  const [website, setWebsite] = useState(given?.website ?? '');
  const [country, setCountry] = useState<string | null>(given?.country || null);
  const [intendedUse, setIntendedUse] = useState(given?.intendedUse ?? '');
  const submit = useMutation({
    mutationFn: () =>
      api.post<BusinessProfileSubmitted>('/api/onboarding/business-profile', {
        companyName,
        website,
        country: country ?? '',
        intendedUse,
      }),
    onSuccess: async ({ account }) => {
      await Promise.all([reload(), queryClient.invalidateQueries({ queryKey: meKey })]);
      onDone?.();
      if (account.status === 'active') navigate('/');
    },
  });
  const send = (event: FormEvent) => {
    event.preventDefault();
    submit.mutate();
  };

  return (
    <form onSubmit={send} noValidate>
      <Stack maw={520}>
        <TextInput
          label="Company name"
          autoComplete="organization"
          required
          value={companyName}
          onChange={(event) => setCompanyName(event.currentTarget.value)}
          error={fieldError(submit.error, 'companyName')}
        />
        <TextInput
          label="Company website"
          description="Optional; without it the account waits for a review (usually within 24 hours)."
          placeholder="acme.com"
          autoComplete="url"
          value={website}
          onChange={(event) => setWebsite(event.currentTarget.value)}
          error={fieldError(submit.error, 'website')}
        />
        <CountrySelect
          required
          value={country}
          onChange={setCountry}
          error={fieldError(submit.error, 'country')}
        />
        <Textarea
          label="How will you use voice and messaging?"
          placeholder="For example: sign-in codes by SMS for our customers"
          description="Optional; without it the account waits for a review (usually within 24 hours)."
          autosize
          minRows={3}
          value={intendedUse}
          onChange={(event) => setIntendedUse(event.currentTarget.value)}
          error={fieldError(submit.error, 'intendedUse')}
        />
        <FormAlert error={submit.error} fields={FIELDS} />
        <Group>
          <Button type="submit" loading={submit.isPending}>
            Submit business details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
