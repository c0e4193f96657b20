import { Card, Group, Loader, NativeSelect, Pagination, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useAccess } from '../access';
import { FailedSignIns } from '../components/api-logs/FailedSignIns';
import { LogFilters } from '../components/api-logs/LogFilters';
import { type ApiLogFilter, useApiLog } from '../components/api-logs/logs';
import { RequestsChart } from '../components/api-logs/RequestsChart';
import { RequestsTable } from '../components/api-logs/RequestsTable';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

const pageSizes = ['25', '50', '100', '200'];

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
  const [params, setParams] = useSearchParams();
  const filter = useMemo<ApiLogFilter>(
    () => ({
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      status: params.get('status') ?? '',
      path: params.get('path') ?? '',
      subaccount: params.get('subaccount') ?? '',
    }),
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = pageSizes.includes(params.get('limit') ?? '') ? Number(params.get('limit')) : 50;
  const log = useApiLog(filter, page, pageSize);

  const show = (next: ApiLogFilter, nextPage = 1, nextSize = pageSize) => {
    const entries = Object.entries(next).filter(([, value]) => value.trim() !== '');
    if (nextPage > 1) entries.push(['page', String(nextPage)]);
    if (nextSize !== 50) entries.push(['limit', String(nextSize)]);
    setParams(entries);
  };
  const pages = Math.max(1, Math.ceil((log.data?.total ?? 0) / pageSize));
  const firstShown = (page - 1) * pageSize + 1;

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
            <Group justify="space-between">
              <Text fz="sm" c="dimmed">
                {firstShown}–{firstShown + log.data.requests.length - 1} of {log.data.total}
              </Text>
              <Group>
                <NativeSelect
                  aria-label="Rows per page"
                  data={pageSizes}
                  value={String(pageSize)}
                  onChange={(event) => show(filter, 1, Number(event.currentTarget.value))}
                />
                <Pagination total={pages} value={page} onChange={(next) => show(filter, next)} />
              </Group>
            </Group>
          </>
        )}
      </Stack>
    </Card>
  );
}
