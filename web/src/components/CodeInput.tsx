import { TextInput, type TextInputProps } from '@mantine/core';

/** A one-time code field: digits on phones, filled in by the browser from an SMS where it can. */
export function CodeInput(props: Omit<TextInputProps, 'onChange'> & { onChange: (code: string) => void }) {
  const { onChange, ...rest } = props;
  return (
    <TextInput
      label="Code"
      placeholder="6-digit code"
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={20}
      required
      {...rest}
      onChange={(event) => onChange(event.currentTarget.value)}
    />
  );
}
