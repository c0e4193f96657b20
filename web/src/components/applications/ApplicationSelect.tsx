import { NativeSelect } from '@mantine/core';
import { useApplications } from './applications';

/** One of the account's applications by App ID, or none (''). */
export function ApplicationSelect({
  value,
  onChange,
  description,
}: {
  value: string;
  onChange: (appId: string) => void;
  description?: string;
}) {
  const applications = useApplications();
  return (
    <NativeSelect
      label="Application"
      description={description}
      value={value}
      onChange={(event) => onChange(event.currentTarget.value)}
      data={[
        { value: '', label: 'None' },
        ...(applications.data?.applications ?? []).map((application) => ({
          value: application.app_id,
          label: application.app_name,
        })),
      ]}
      error={applications.isError ? applications.error.message : undefined}
    />
  );
}
