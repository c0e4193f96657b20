import { Badge, Code, Group, Stack, Text } from '@mantine/core';
import type { Endpoint } from './endpoints';

/** An expiry as a time today, or with its date when it is another day. */
function until(at: string) {
  const expiry = new Date(at);
  return expiry.toDateString() === new Date().toDateString()
    ? expiry.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : expiry.toLocaleString([], { dateStyle: 'short', timeStyle: 'short' });
}

/** Long SIP contacts and user agents wrap anywhere rather than widen the column. */
const wraps = { overflowWrap: 'anywhere' } as const;

/**
 * Whether a SIP device is registered as the endpoint now: the newest registration's contact (where
 * calls to the SIP URI ring), user agent and expiry, and how many other devices are registered too;
 * or "Not registered".
 */
export function RegistrationStatus({ endpoint }: { endpoint: Endpoint }) {
  const [newest, ...others] = endpoint.registrations;
  if (!newest)
    return (
      <Badge color="gray" variant="light" w="fit-content" style={{ flexShrink: 0 }}>
        Not registered
      </Badge>
    );
  return (
    <Stack gap={2} aria-label={`Registration of ${endpoint.alias}`}>
      <Group gap={6} wrap="nowrap" align="flex-start">
        <Badge color="teal" variant="light" style={{ flexShrink: 0 }}>
          Registered
        </Badge>
        <Code fz="xs" style={wraps}>
          {newest.contact}
        </Code>
      </Group>
      <Text fz="xs" c="dimmed" style={wraps}>
        {newest.userAgent || 'No user agent'} · until {until(newest.expiresAt)}
        {others.length > 0 && ` · and ${others.length} more device${others.length > 1 ? 's' : ''}`}
      </Text>
    </Stack>
  );
}
