import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import type { AddCidr, AddedCidr } from '@server/modules/ip-whitelist/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { ipWhitelistKey } from './whitelist';

/** + Add CIDR Address: IPv4 or IPv6 in CIDR form; the server says what is wrong with a bad one. */
export function AddCidrForm({ yourAddress }: { yourAddress: string }) {
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [cidr, setCidr] = useState('');
  const add = useMutation({
    mutationFn: () =>
      reauthentication.run(() =>
        api.post<AddedCidr>('/api/ip-whitelist', { cidr: cidr.trim() } satisfies AddCidr),
      ),
    onSuccess: () => setCidr(''),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ipWhitelistKey }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };
  return (
    <>
      <form onSubmit={submit} noValidate>
        <Stack gap="xs">
          <Group align="flex-start">
            <TextInput
              label="CIDR address"
              placeholder="192.0.2.0/24"
              description="For example 192.0.2.0/24, 1.1.1.1/32 or 2001:db8::/32"
              w={340}
              value={cidr}
              onChange={(event) => setCidr(event.currentTarget.value)}
              error={fieldError(add.error, 'cidr')}
            />
            <Button type="submit" mt={44} loading={add.isPending} disabled={!cidr.trim()}>
              + Add CIDR Address
            </Button>
          </Group>
          <Text fz="sm">
            Your current address: <b data-testid="your-address">{yourAddress}</b>{' '}
            <Anchor component="button" type="button" fz="sm" onClick={() => setCidr(yourAddress)}>
              Use it
            </Anchor>
          </Text>
          <FormAlert error={add.error} fields={['cidr']} />
        </Stack>
      </form>
      {reauthentication.dialog}
    </>
  );
}
