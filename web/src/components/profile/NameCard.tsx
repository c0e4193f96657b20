import { Button, Card, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { reloadSession } from '../../session';
import { FormAlert } from '../FormAlert';

/** Your name, as your team and our emails show it. */
export function NameCard({ name }: { name: string }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(name);
  const rename = useMutation({
    mutationFn: () => api.patch('/api/profile', { name: value }),
    onSuccess: () => reloadSession(queryClient),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate();
  };
  return (
    <Card withBorder padding="lg">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3} fz="h5">
            Name
          </Title>
          <TextInput
            label="Full name"
            autoComplete="name"
            maw={420}
            value={value}
            onChange={(event) => {
              setValue(event.currentTarget.value);
              rename.reset();
            }}
            error={fieldError(rename.error, 'name')}
          />
          <FormAlert error={rename.error} fields={['name']} />
          <Group>
            <Button type="submit" loading={rename.isPending} disabled={value.trim() === name}>
              Save name
            </Button>
            {rename.isSuccess && (
              <Text fz="sm" c="teal.8">
                Saved.
              </Text>
            )}
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
