import { Group, NativeSelect, TextInput } from '@mantine/core';

/** A callback URL with the HTTP method Switchboard calls it with. */
export function UrlWithMethod({
  label,
  url,
  method,
  onUrlChange,
  onMethodChange,
  description,
}: {
  label: string;
  url: string;
  method: string;
  onUrlChange: (url: string) => void;
  onMethodChange: (method: string) => void;
  description?: string;
}) {
  return (
    <Group align="flex-start" gap="xs" wrap="nowrap">
      <TextInput
        style={{ flex: 1 }}
        label={label}
        description={description}
        placeholder="https://example.com/…"
        value={url}
        onChange={(event) => onUrlChange(event.currentTarget.value)}
      />
      <NativeSelect
        label={`${label} method`}
        w={110}
        data={['POST', 'GET']}
        value={method}
        onChange={(event) => onMethodChange(event.currentTarget.value)}
        mt={description ? 'calc(var(--mantine-font-size-xs) * 1.5)' : undefined}
      />
    </Group>
  );
}
