import { Alert, Button, Group, Modal, Radio, Stack, Text } from '@mantine/core';
import type { ConnectionSaved } from '@server/modules/sso/schemas';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api, fieldError } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { connectionBody, emptyProviderForm, ProviderFields, type ProviderForm } from './ProviderFields';
import { ServiceProviderUrls } from './ServiceProviderUrls';
import { goToIdentityProvider, protocolNames, type ServiceProvider } from './sso';

const providerFields = [
  'issuer',
  'clientId',
  'clientSecret',
  'metadataXml',
  'metadataUrl',
  'entityId',
  'ssoUrl',
  'certificate',
];

/**
 * Configure SSO: the identity provider's type and details, and the addresses to register there.
 * Saving starts the test sign-in: the browser goes to the IdP and returns with the outcome.
 */
export function ConfigureSsoDialog({
  opened,
  onClose,
  urls,
}: {
  opened: boolean;
  onClose: () => void;
  urls: ServiceProvider;
}) {
  const reauthentication = useReauthentication();
  const [form, setForm] = useState<ProviderForm>(emptyProviderForm);
  const save = useMutation({
    mutationFn: () =>
      reauthentication.run(() => api.post<ConnectionSaved>('/api/sso/connections', connectionBody(form))),
    onSuccess: ({ testUrl }) => goToIdentityProvider(testUrl),
  });
  const change = (next: Partial<ProviderForm>) => {
    setForm((current) => ({ ...current, ...next }));
    save.reset();
  };
  const close = () => {
    setForm(emptyProviderForm);
    save.reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };

  return (
    <>
      <Modal opened={opened} onClose={close} title="Configure SSO" centered size="lg">
        <form onSubmit={submit} noValidate>
          <Stack>
            <Radio.Group
              label="Identity provider type"
              value={form.protocol}
              onChange={(value) => change({ protocol: value as ProviderForm['protocol'] })}
            >
              <Group mt="xs">
                <Radio value="oidc" label={protocolNames.oidc} />
                <Radio value="saml" label={protocolNames.saml} />
              </Group>
            </Radio.Group>
            <ServiceProviderUrls protocol={form.protocol} urls={urls} />
            <ProviderFields
              form={form}
              onChange={change}
              errorOf={(field) => fieldError(save.error, field)}
            />
            <Alert color="blue" variant="light">
              <Text fz="sm">
                Next, sign in through the identity provider as yourself. The provider becomes active only when
                that test sign-in succeeds; until then, sign-in is unchanged.
              </Text>
            </Alert>
            <FormAlert error={save.error} fields={providerFields} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending || save.isSuccess}>
                Save and test sign-in
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      {reauthentication.dialog}
    </>
  );
}
