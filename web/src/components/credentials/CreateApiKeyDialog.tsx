import {
  Alert,
  Button,
  Checkbox,
  Group,
  Modal,
  Radio,
  Select,
  Stack,
  Table,
  Textarea,
  TextInput,
} from '@mantine/core';
import type { CreateApiKey } from '@server/modules/credentials/schemas';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAccess } from '../../access';
import { api } from '../../api';
import { FormAlert } from '../FormAlert';
import { useReauthentication } from '../Reauthentication';
import { useSubaccounts } from '../subaccounts/subaccounts';
import { CredentialValue } from './CredentialValue';
import { type ApiKeyList, apiKeysKey } from './credentials';

type Issued = { keyId: string; secret: string; bearerToken: string };
const ACTIONS = ['create', 'read', 'update', 'delete'] as const;

/**
 * Create API key: a name, whose key it is (the account or a subaccount), full access or the chosen
 * actions per resource, optional source addresses and expiry; then the key id and secret, shown once.
 */
export function CreateApiKeyDialog({
  opened,
  onClose,
  resources,
}: {
  opened: boolean;
  onClose: () => void;
  resources: ApiKeyList['resources'];
}) {
  const access = useAccess();
  const subaccounts = useSubaccounts({ enabled: opened && access.can('viewSubaccounts') });
  const queryClient = useQueryClient();
  const reauthentication = useReauthentication();
  const [name, setName] = useState('');
  const [owner, setOwner] = useState<string>('main');
  const [fullAccess, setFullAccess] = useState(false);
  const [grants, setGrants] = useState<Record<string, string[]>>({});
  const [sources, setSources] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const create = useMutation({
    mutationFn: (body: CreateApiKey) =>
      reauthentication.run(() => api.post<Issued>('/api/credentials/api-keys', body)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: apiKeysKey }),
  });
  const close = () => {
    setName('');
    setOwner('main');
    setFullAccess(false);
    setGrants({});
    setSources('');
    setExpiresOn('');
    create.reset();
    onClose();
  };
  const forSubaccount = owner !== 'main';
  const shown = resources.filter((resource) => !(forSubaccount && resource.name === 'Subaccount'));
  const toggle = (resource: string, action: string, on: boolean) =>
    setGrants((current) => {
      const actions = new Set(current[resource] ?? []);
      if (on) actions.add(action);
      else actions.delete(action);
      return { ...current, [resource]: [...actions] };
    });
  const submit = () => {
    const chosen = Object.fromEntries(
      Object.entries(grants).filter(
        ([resource, actions]) => actions.length > 0 && shown.some((r) => r.name === resource),
      ),
    );
    const cidrs = sources
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter(Boolean);
    create.mutate({
      name,
      fullAccess,
      ...(fullAccess ? {} : { grants: chosen }),
      ...(forSubaccount ? { subaccount: owner } : {}),
      ...(cidrs.length > 0 ? { sourceCidrs: cidrs } : {}),
      ...(expiresOn ? { expiresAt: new Date(`${expiresOn}T00:00:00`).toISOString() } : {}),
    });
  };

  return (
    <>
      <Modal opened={opened} onClose={close} title="Create API key" centered size="xl">
        {create.isSuccess ? (
          <Stack>
            <Alert color="teal" title="Your new API key" role="status">
              Copy the secret now: it is not shown again. If it is lost, revoke the key and create another.
            </Alert>
            <CredentialValue label="Key id" value={create.data.keyId} testId="new-api-key-id" />
            <CredentialValue label="Secret" value={create.data.secret} secret testId="new-api-key-secret" />
            <CredentialValue
              label="Bearer token"
              value={create.data.bearerToken}
              secret
              hint="The key id and secret as one Bearer token."
            />
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <Stack>
            <TextInput
              label="Name"
              description="What uses it, so you know what breaks if you revoke it."
              placeholder="SMS sender"
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              maxLength={100}
              required
            />
            {(subaccounts.data?.subaccounts.length ?? 0) > 0 && (
              <Select
                label="For"
                description="A subaccount's key reaches only that subaccount."
                value={owner}
                onChange={(value) => setOwner(value ?? 'main')}
                allowDeselect={false}
                data={[
                  { value: 'main', label: 'Main account' },
                  ...(subaccounts.data?.subaccounts ?? []).map((s) => ({ value: s.authId, label: s.name })),
                ]}
              />
            )}
            <Radio.Group
              label="Access"
              value={fullAccess ? 'full' : 'restricted'}
              onChange={(value) => setFullAccess(value === 'full')}
            >
              <Group mt="xs">
                <Radio value="restricted" label="Only what I choose" />
                <Radio
                  value="full"
                  label={forSubaccount ? 'Everything the subaccount may do' : 'Full access'}
                />
              </Group>
            </Radio.Group>
            {!fullAccess && (
              <Table fz="sm" verticalSpacing={4} aria-label="Permissions">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Resource</Table.Th>
                    {ACTIONS.map((action) => (
                      <Table.Th key={action} ta="center" tt="capitalize">
                        {action}
                      </Table.Th>
                    ))}
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {shown.map((resource) => (
                    <Table.Tr key={resource.name}>
                      <Table.Td>{resource.name}</Table.Td>
                      {ACTIONS.map((action) => (
                        <Table.Td key={action} ta="center">
                          {resource.actions.includes(action) && (
                            <Checkbox
                              aria-label={`${resource.name}: ${action}`}
                              checked={grants[resource.name]?.includes(action) ?? false}
                              onChange={(event) => toggle(resource.name, action, event.currentTarget.checked)}
                              style={{ display: 'inline-block' }}
                            />
                          )}
                        </Table.Td>
                      ))}
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
            <Group grow align="flex-start">
              <Textarea
                label="Source addresses (optional)"
                description="IPs or CIDRs, one a line; on top of the account's IP whitelisting."
                placeholder="203.0.113.0/24"
                autosize
                minRows={2}
                value={sources}
                onChange={(event) => setSources(event.currentTarget.value)}
              />
              <TextInput
                type="date"
                label="Expires (optional)"
                description="The key stops working at the start of this day."
                value={expiresOn}
                onChange={(event) => setExpiresOn(event.currentTarget.value)}
              />
            </Group>
            <FormAlert error={create.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button loading={create.isPending} disabled={name.trim() === ''} onClick={submit}>
                Create key
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
      {reauthentication.dialog}
    </>
  );
}
