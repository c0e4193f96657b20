import { Card, Group, Loader, NativeSelect, Pagination, Stack, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { useAccess } from '../../access';
import { PageTitle } from '../../components/PageTitle';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { MessageFilters } from './MessageFilters';
import { MessagesTable } from './MessagesTable';
import { type MessageLogFilter, useMessages } from './messaging';
import { SendTestSmsForm } from './SendTestSmsForm';

const pageSizes = ['25', '50', '100', '200'];

/**
 * Messaging > Logs: the messages of the account and its subaccounts, filtered, a page at a time,
 * each opening its delivery timeline; and, for roles with API access, the "Send a test SMS" form.
 */
export function MessageLogsPage() {
  const access = useAccess();
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Messaging" title="Logs" />
      <RoleGate capability="readMessageLogs" activity="read the message logs">
        {access.can('sendMessages') && <SendTestSmsForm />}
        <MessageLog />
      </RoleGate>
    </Stack>
  );
}

/** The filters and page live in the address, so a filtered view can be reloaded and shared. */
function MessageLog() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo<MessageLogFilter>(
    () => ({
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      state: params.get('state') ?? '',
      direction: params.get('direction') ?? '',
      fromNumber: params.get('fromNumber') ?? '',
      toNumber: params.get('toNumber') ?? '',
      subaccount: params.get('subaccount') ?? '',
    }),
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = pageSizes.includes(params.get('limit') ?? '') ? Number(params.get('limit')) : 50;
  const log = useMessages(filter, page, pageSize);

  const show = (next: MessageLogFilter, nextPage = 1, nextSize = pageSize) => {
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
        <MessageFilters filter={filter} onApply={(next) => show(next)} />
        {log.isPending && <Loader size="sm" aria-label="Loading" />}
        {log.isError && <QueryError error={log.error} />}
        {log.data && log.data.total === 0 && (
          <Text c="dimmed" fz="sm">
            No messages match these filters.
          </Text>
        )}
        {log.data && log.data.messages.length > 0 && (
          <>
            <MessagesTable messages={log.data.messages} />
            <Group justify="space-between">
              <Text fz="sm" c="dimmed">
                {firstShown}–{firstShown + log.data.messages.length - 1} of {log.data.total}
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
