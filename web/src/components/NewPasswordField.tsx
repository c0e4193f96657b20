import { PasswordInput, Stack } from '@mantine/core';
import { PasswordFeedback } from './PasswordFeedback';

/**
 * A new password with live feedback on the policy. The server's refusal shows while the field still
 * holds the password it refused; once the person edits it, the live feedback takes over.
 */
export function NewPasswordField({
  label,
  value,
  onChange,
  refusal,
  refusedValue,
  name,
  email,
}: {
  label: string;
  value: string;
  onChange: (password: string) => void;
  refusal: string | undefined;
  refusedValue: string | undefined;
  name?: string;
  email?: string;
}) {
  const error = refusal && value === refusedValue ? refusal : undefined;
  return (
    <Stack gap={6}>
      <PasswordInput
        label={label}
        autoComplete="new-password"
        required
        value={value}
        onChange={(event) => onChange(event.currentTarget.value)}
        error={error}
      />
      {!error && <PasswordFeedback password={value} name={name} email={email} />}
    </Stack>
  );
}
