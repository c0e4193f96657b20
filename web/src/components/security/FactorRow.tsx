import { Group, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';

/** One line of the Two-Factor Authentication card: what the method is, its state, its actions. */
export function FactorRow({
  title,
  description,
  status,
  actions,
}: {
  title: string;
  description: ReactNode;
  status?: ReactNode;
  actions: ReactNode;
}) {
  return (
    <Group justify="space-between" wrap="nowrap" py="md" align="center">
      <Stack gap={2}>
        <Group gap="xs">
          <Text fw={600}>{title}</Text>
          {status}
        </Group>
        <Text fz="sm" c="dimmed">
          {description}
        </Text>
      </Stack>
      <Group gap="xs" wrap="nowrap">
        {actions}
      </Group>
    </Group>
  );
}
