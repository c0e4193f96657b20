import { NativeSelect } from '@mantine/core';
import { useAccess } from '../../access';
import { useSubaccounts } from '../subaccounts/subaccounts';

/** The main account or one of its subaccounts, by Auth ID ('' is the main account). */
export function SubaccountSelect({ value, onChange }: { value: string; onChange: (authId: string) => void }) {
  const access = useAccess();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  const choices = subaccounts.data?.subaccounts ?? [];
  return (
    <NativeSelect
      label="Subaccount"
      description="The subaccount this application belongs to; its credentials can then use it."
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'None (main account)' },
        ...choices.map((subaccount) => ({
          value: subaccount.authId,
          label: `${subaccount.name} (${subaccount.authId})`,
        })),
      ]}
      error={subaccounts.isError ? subaccounts.error.message : undefined}
    />
  );
}
