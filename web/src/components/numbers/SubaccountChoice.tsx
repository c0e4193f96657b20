import { NativeSelect } from '@mantine/core';
import { useAccess } from '../../access';
import { useSubaccounts } from '../subaccounts/subaccounts';

/** The main account (as `mainValue`) or one of its subaccounts by SA Auth ID. */
export function SubaccountChoice({
  label,
  description,
  mainValue,
  value,
  onChange,
}: {
  label: string;
  description: string;
  mainValue: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const access = useAccess();
  const subaccounts = useSubaccounts({ enabled: access.can('viewSubaccounts') });
  return (
    <NativeSelect
      label={label}
      description={description}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: mainValue, label: 'Main account' },
        ...(subaccounts.data?.subaccounts ?? []).map((subaccount) => ({
          value: subaccount.authId,
          label: `${subaccount.name} (${subaccount.authId})`,
        })),
      ]}
      error={subaccounts.isError ? subaccounts.error.message : undefined}
    />
  );
}
