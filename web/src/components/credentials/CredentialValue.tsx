import { ActionIcon, Button, Code, CopyButton, Group, Stack, Text, Tooltip } from '@mantine/core';
import { useState } from 'react';
import { EyeIcon } from './EyeIcon';

/**
 * One credential with a copy control. A secret (the Auth Token) is masked until the eye reveals it;
 * copying works either way, so the token need not be shown to be used. A secret is set smaller, so a
 * revealed 40-character token fits a half-width card on one line; in a table row a value never wraps
 * (the column takes its width).
 */
export function CredentialValue({
  label,
  value,
  hint,
  secret = false,
  hideLabel = false,
  testId,
}: {
  label: string;
  value: string;
  hint?: string;
  secret?: boolean;
  /** In a table row the column names the value: the label then only names the controls, and the value keeps to one line. */
  hideLabel?: boolean;
  testId?: string;
}) {
  const [revealed, setRevealed] = useState(false);
  const shown = secret && !revealed ? '•'.repeat(Math.min(value.length, 32)) : value;
  return (
    <Stack gap={4}>
      {!hideLabel && (
        <Text fz="xs" c="dimmed" tt="uppercase" fw={600}>
          {label}
        </Text>
      )}
      <Group gap="xs" wrap="nowrap">
        <Code
          fz={secret ? 'xs' : 'md'}
          data-testid={testId}
          style={hideLabel ? { whiteSpace: 'nowrap' } : { wordBreak: 'break-all', minWidth: 0 }}
        >
          {shown}
        </Code>
        {secret && (
          <Tooltip label={revealed ? `Hide ${label}` : `Show ${label}`}>
            <ActionIcon
              style={{ flexShrink: 0 }}
              variant="subtle"
              color="gray"
              aria-label={revealed ? `Hide ${label}` : `Show ${label}`}
              aria-pressed={revealed}
              onClick={() => setRevealed((current) => !current)}
            >
              <EyeIcon struck={revealed} />
            </ActionIcon>
          </Tooltip>
        )}
        <CopyButton value={value}>
          {({ copied, copy }) => (
            <Button
              size="compact-xs"
              variant="light"
              onClick={copy}
              aria-label={`Copy ${label}`}
              style={{ flexShrink: 0 }}
            >
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
      {hint && (
        <Text fz="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}
