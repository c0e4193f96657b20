import { Card, Loader, Stack, Text } from '@mantine/core';
import { useAccess } from '../../access';
import { ListFooter, useAddressedList } from '../../components/AddressedList';
import { PageTitle } from '../../components/PageTitle';
import { QueryError } from '../../components/QueryError';
import { RoleGate } from '../../components/RoleGate';
import { MessageFilters } from './MessageFilters';
import { MessagesTable } from './MessagesTable';
import { type MessageLogFilter, useMessages } from './messaging';
import { SendTestSmsForm } from './SendTestSmsForm';

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
  const { filter, page, pageSize, show } = useAddressedList<MessageLogFilter>([
    'from',
    'to',
    'state',
    'direction',
    'fromNumber',
    'toNumber',
    'subaccount',
  ]);
  const log = useMessages(filter, page, pageSize);

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
            <ListFooter
              page={page}
              pageSize={pageSize}
              shown={log.data.messages.length}
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
