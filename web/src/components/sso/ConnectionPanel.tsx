import { Badge, Button, Code, Group, Stack, Text } from '@mantine/core';
import type { TestSignIn } from '@server/modules/sso/schemas';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { goToIdentityProvider, protocolNames, type SsoConnection, ssoKey } from './sso';

/** One identity provider (active, or saved and awaiting its test sign-in), with Test sign-in and Remove. */
export function ConnectionPanel({ connection }: { connection: SsoConnection }) {
  const reauthentication = useReauthentication();
  const [removing, setRemoving] = useState(false);
  const test = useMutation({
    mutationFn: () => api.post<TestSignIn>(`/api/sso/connections/${connection.id}/test`),
    onSuccess: ({ testUrl }) => goToIdentityProvider(testUrl),
  });
  const active = connection.status === 'active';
  const details =
    connection.protocol === 'oidc'
      ? [
          ['Issuer', connection.oidc.issuer],
          ['Client ID', connection.oidc.clientId],
        ]
      : [
          ['Entity ID', connection.saml.entityId],
          ['Single sign-on URL', connection.saml.ssoUrl],
          ...connection.saml.certificates.map((certificate) => [
            'Certificate',
            `${certificate.subject} (valid to ${new Date(certificate.validTo).toLocaleDateString()})`,
          ]),
        ];
  return (
    <Stack gap="xs" data-testid={active ? 'sso-active-provider' : 'sso-pending-provider'}>
      <Group gap="xs">
        <Text fw={500}>{protocolNames[connection.protocol]}</Text>
        <Badge color={active ? 'teal' : 'yellow'} variant="light">
          {active ? 'Active' : 'Awaiting a successful test sign-in'}
        </Badge>
      </Group>
      {details.map(([label, value]) => (
        <Text key={`${label}${value}`} fz="sm">
          {label}: <Code style={{ wordBreak: 'break-all' }}>{value}</Code>
        </Text>
      ))}
      <FormAlert error={test.error} />
      <Group gap="xs">
        <Button
          size="xs"
          variant="light"
          loading={test.isPending || test.isSuccess}
          onClick={() => test.mutate()}
        >
          Test sign-in
        </Button>
        <Button size="xs" variant="subtle" color="red" onClick={() => setRemoving(true)}>
          Remove
        </Button>
      </Group>
      <ConfirmDeleteDialog
        title="Remove this identity provider?"
        opened={removing}
        onClose={() => setRemoving(false)}
        remove={() => reauthentication.run(() => api.delete(`/api/sso/connections/${connection.id}`))}
        invalidates={[ssoKey]}
      >
        {active
          ? 'Sign-in through it stops at once, and Require SSO turns off; members sign in with their passwords.'
          : 'The saved details are discarded.'}
      </ConfirmDeleteDialog>
      {reauthentication.dialog}
    </Stack>
  );
}
