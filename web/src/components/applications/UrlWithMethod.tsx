import { Group, NativeSelect, TextInput } from '@mantine/core';

/**
 * A callback URL with the HTTP method Switchboard calls it with. The method sits inside the URL's
 * input row, so it lines up with the input whatever the label and description above take.
 */
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
    <TextInput
      label={label}
      description={description}
      placeholder="https://example.com/…"
      value={url}
      onChange={(event) => onUrlChange(event.currentTarget.value)}
      inputContainer={(input) => (
        <Group gap="xs" wrap="nowrap" align="flex-end">
          <div style={{ flex: 1 }}>{input}</div>
          <NativeSelect
            aria-label={`${label} method`}
            w={96}
            data={['POST', 'GET']}
            value={method}
            onChange={(event) => onMethodChange(event.currentTarget.value)}
          />
        </Group>
      )}
    />
  );
}
