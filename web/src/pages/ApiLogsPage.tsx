import { Card, Loader, Stack, Text } from '@mantine/core';
import { useAccess } from '../access';
import { ListFooter, useAddressedList } from '../components/AddressedList';
import { FailedSignIns } from '../components/api-logs/FailedSignIns';
import { LogFilters } from '../components/api-logs/LogFilters';
import { type ApiLogFilter, useApiLog } from '../components/api-logs/logs';
import { RequestsChart } from '../components/api-logs/RequestsChart';
import { RequestsTable } from '../components/api-logs/RequestsTable';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

/**
 * Logs > API: the API requests of the account and its subaccounts, filtered by date, status, path and
 * subaccount, a page at a time; and, for the Owner and Admin, failed sign-ins to the API.
 */
export function ApiLogsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Logs" title="API" />
      <RoleGate capability="readApiLogs" activity="read the API logs">
        <ApiLog />
        <FailedSignInsForManagers />
      </RoleGate>
    </Stack>
  );
}

/** Failed sign-ins to the API are for the Owner and Admin, who act on them (the compromise checklist). */
function FailedSignInsForManagers() {
  const access = useAccess();
  return access.can('readFailedApiSignIns') ? <FailedSignIns /> : null;
}

/** The filters and page live in the address, so a filtered view can be reloaded and shared. */
function ApiLog() {
  const { filter, page, pageSize, show } = useAddressedList<ApiLogFilter>([
    'from',
    'to',
    'status',
    'path',
    'subaccount',
  ]);
  const log = useApiLog(filter, page, pageSize);

  return (
    <Card withBorder padding="lg">
      <Stack>
        <LogFilters filter={filter} onApply={(next) => show(next)} />
        {log.isPending && <Loader size="sm" aria-label="Loading" />}
        {log.isError && <QueryError error={log.error} />}
        {log.data && log.data.total === 0 && (
          <Text c="dimmed" fz="sm">
            No API requests match these filters.
          </Text>
        )}
        {log.data && log.data.requests.length > 0 && (
          <>
            <RequestsChart requests={log.data.requests} />
            <RequestsTable requests={log.data.requests} />
            <ListFooter
              page={page}
              pageSize={pageSize}
              shown={log.data.requests.length}
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
