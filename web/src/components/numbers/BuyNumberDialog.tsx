import { Alert, Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { ConsoleRent } from '../../../../src/modules/numbers/schemas';
import { useMe } from '../../access';
import { api } from '../../api';
import type { AccountView } from '../../session';
import { CountrySelect } from '../CountrySelect';
import { FormAlert } from '../FormAlert';
import { subaccountsKey } from '../subaccounts/subaccounts';
import { AvailableNumbersTable } from './AvailableNumbersTable';
import { type NumberSearch, numberPath, numbersKey, numberTypes, searchNumbers } from './numbers';
import { SubaccountChoice } from './SubaccountChoice';

/**
 * Why the account may not rent yet, or null when it may: renting is billable, so only an active
 * account rents (the server's rule); the others may still search.
 */
function rentRefusal(account: AccountView | null | undefined): string | null {
  if (!account || account.status === 'active') return null;
  if (account.status === 'under_review') {
    return `Renting is billable, so it opens once the account is active; it is under review${account.review ? ` (${account.review.reason.toLowerCase()})` : ''}. You can search numbers meanwhile.`;
  }
  return 'Renting is billable, so it needs an active account; this account is not active.';
}

/** Buy number: search the inventory, then rent one, optionally straight into a subaccount. */
export function BuyNumberDialog({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  return (
    <Modal opened={opened} onClose={onClose} title="Buy number" centered size="xl">
      {opened && <BuyNumber onDone={onClose} />}
    </Modal>
  );
}

function BuyNumber({ onDone }: { onDone: () => void }) {
  const queryClient = useQueryClient();
  const me = useMe();
  const refusal = rentRefusal(me.data?.account);
  const [search, setSearch] = useState<NumberSearch>({ country_iso: 'US', type: 'local', pattern: '' });
  const [into, setInto] = useState('');
  const results = useMutation({ mutationFn: () => searchNumbers(search) });
  const rent = useMutation({
    mutationFn: (number: string) =>
      api.post(numberPath(number), (into ? { subaccount: into } : {}) satisfies ConsoleRent),
    onSuccess: () => onDone(),
    onSettled: () =>
      Promise.all(
        [numbersKey, subaccountsKey].map((queryKey) => queryClient.invalidateQueries({ queryKey })),
      ),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rent.reset();
    results.mutate();
  };
  const found = results.data?.numbers;
  return (
    <Stack>
      <form onSubmit={submit} noValidate aria-label="Search numbers">
        <Group align="flex-end" gap="sm">
          <CountrySelect
            value={search.country_iso}
            onChange={(value) => setSearch({ ...search, country_iso: value ?? '' })}
            allowDeselect={false}
            w={240}
          />
          <NativeSelect
            label="Type"
            data={numberTypes}
            value={search.type}
            onChange={(event) => setSearch({ ...search, type: event.currentTarget.value })}
          />
          <TextInput
            label="Pattern"
            placeholder="415"
            maxLength={15}
            value={search.pattern}
            onChange={(event) => setSearch({ ...search, pattern: event.currentTarget.value })}
          />
          <Button type="submit" loading={results.isPending}>
            Search
          </Button>
        </Group>
      </form>
      <FormAlert error={results.error} />
      {refusal && (
        <Alert color="yellow" id="rent-refusal" title="Renting is not available yet">
          {refusal}
        </Alert>
      )}
      {found && (
        <>
          <SubaccountChoice
            label="Into subaccount"
            description="Rent it straight into a subaccount, or keep it on the main account."
            mainValue=""
            value={into}
            onChange={setInto}
          />
          <FormAlert error={rent.error} />
          {found.length === 0 ? (
            <Text fz="sm">No numbers match this search.</Text>
          ) : (
            <AvailableNumbersTable
              numbers={found}
              renting={rent.isPending ? rent.variables : undefined}
              refusedBy={refusal ? 'rent-refusal' : undefined}
              onRent={(number) => rent.mutate(number)}
            />
          )}
        </>
      )}
    </Stack>
  );
}
