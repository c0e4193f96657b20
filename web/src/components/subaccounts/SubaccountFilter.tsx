import { NativeSelect, TextInput } from '@mantine/core';
import { useAccess } from '../../access';
import { useSubaccounts } from './subaccounts';

/** A log filter's "whose": all, or one subaccount's; roles that may not list subaccounts type its Auth ID. */
export function SubaccountFilter({ value, onChange }: { value: string; onChange: (authId: string) => void }) {
  const access = useAccess();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  if (!access.can('viewSubaccounts'))
    return (
      <TextInput
        label="Subaccount"
        placeholder="SA… Auth ID"
        w={200}
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
      />
    );
  return (
    <NativeSelect
      label="Subaccount"
      w={220}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'All' },
        ...(subaccounts.data?.subaccounts ?? []).map((subaccount) => ({
          value: subaccount.authId,
          label: `${subaccount.name} (${subaccount.authId})`,
        })),
      ]}
    />
  );
}
