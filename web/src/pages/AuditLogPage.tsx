import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { ListFooter, useAddressedList } from '../components/AddressedList';
import { AuditEventsTable } from '../components/audit/AuditEventsTable';
import { AuditFilters } from '../components/audit/AuditFilters';
import { AuditWebhookCard } from '../components/audit/AuditWebhookCard';
import { type AuditFilter, auditQuery, useAuditEvents } from '../components/audit/audit';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/**
 * Account > Settings > Audit Log (Owner and Admin): every change to the account and its subaccounts,
 * who made it (the operator's staff as "operator staff", with their reason) and from where;
 * filtered, exported as CSV, and sent to a webhook.
 */
export function AuditLogPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Account › Settings" title="Audit Log" />
      <RoleGate capability="readAuditLog" activity="read the audit log">
        <AuditLog />
        <AuditWebhookCard />
      </RoleGate>
    </Stack>
  );
}

/** The filters and page live in the address, so a filtered view can be reloaded and shared. */
function AuditLog() {
  const { filter, page, pageSize, show } = useAddressedList<AuditFilter>([
    'actor',
    'action',
    'resource',
    'ip',
    'from',
    'to',
  ]);
  const log = useAuditEvents(filter, page, pageSize);

  return (
    <Card withBorder padding="lg">
      <Stack>
        <AuditFilters filter={filter} onApply={(next) => show(next)} />
        <Group justify="flex-end">
          <Button
            component="a"
            href={`/api/audit/events.csv?${auditQuery(filter)}`}
            download
            variant="default"
            size="xs"
          >
            Export CSV
          </Button>
        </Group>
        {log.isPending && <Loader size="sm" aria-label="Loading" />}
        {log.isError && <QueryError error={log.error} />}
        {log.data && log.data.total === 0 && (
          <Text c="dimmed" fz="sm">
            No audit events match these filters.
          </Text>
        )}
        {log.data && log.data.events.length > 0 && (
          <>
            <AuditEventsTable events={log.data.events} />
            <ListFooter
              page={page}
              pageSize={pageSize}
              shown={log.data.events.length}
              total={log.data.total}
              onPage={(next) => show(filter, next)}
              onPageSize={(size) => show(filter, 1, size)}
            />
          </>
        )}
      </Stack>
    </Card>
  );
}
