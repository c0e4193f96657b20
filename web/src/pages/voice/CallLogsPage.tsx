import { Card, Group, Loader, SegmentedControl, Stack, Text } from '@mantine/core';
import { ListFooter, useAddressedList } from '../../components/AddressedList';
import { PageTitle } from '../../components/PageTitle';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { CallFilters } from './CallFilters';
import { CallsTable } from './CallsTable';
import { type CallLogFilter, useCalls } from './calls';

/**
 * Voice > Calls: the calls of the account and its subaccounts, filtered, a page at a time, each
 * opening its details; "Live calls" shows the calls going on now, which roles with API access can
 * hang up.
 */
export function CallLogsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Voice" title="Calls" />
      <RoleGate capability="readCallLogs" activity="read the call logs">
        <CallLog />
      </RoleGate>
    </Stack>
  );
}

/** The filters, the live view and the page live in the address, so a view can be reloaded and shared. */
function CallLog() {
  const { filter, page, pageSize, show } = useAddressedList<CallLogFilter>([
    'direction',
    'fromNumber',
    'toNumber',
    'subaccount',
    'live',
  ]);
  const live = filter.live === 'true';
  const log = useCalls(filter, page, pageSize);

  return (
    <Card withBorder padding="lg">
      <Stack>
        <Group justify="space-between" align="flex-end" gap="sm">
          <SegmentedControl
            aria-label="Which calls"
            value={live ? 'live' : 'all'}
            onChange={(view) => show({ ...filter, live: view === 'live' ? 'true' : '' })}
            data={[
              { value: 'all', label: 'All calls' },
              { value: 'live', label: 'Live calls' },
            ]}
          />
          {live && (
            <Text fz="xs" c="dimmed">
              Ringing and answered calls, refreshed every few seconds.
            </Text>
          )}
        </Group>
        <CallFilters filter={filter} onApply={(next) => show(next)} />
        {log.isPending && <Loader size="sm" aria-label="Loading" />}
        {log.isError && <QueryError error={log.error} />}
        {log.data && log.data.total === 0 && (
          <Text c="dimmed" fz="sm">
            {live ? 'No calls are going on now.' : 'No calls match these filters.'}
          </Text>
        )}
        {log.data && log.data.calls.length > 0 && (
          <>
            <CallsTable calls={log.data.calls} live={live} />
            <ListFooter
              page={page}
              pageSize={pageSize}
              shown={log.data.calls.length}
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
