import { Anchor, Badge, Button, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import type { StaffAccountPageView } from '@server/modules/staff/account-page-schemas';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api';
import { QueryError } from '../QueryError';
import {
  AuditTrail,
  BalanceAndLedger,
  EngineSessions,
  Members,
  Numbers,
  Overview,
  statusColors,
  statusText,
  Tickets,
  Usage,
} from './AccountPageSections';
import type { AccountMatch } from './accounts';
import { CloseAccountDialog } from './CloseAccountDialog';
import { CreditDialog } from './CreditDialog';
import { CreditLimitsDialog } from './CreditLimitsDialog';
import { RateLimitsDialog } from './RateLimitsDialog';
import { ReviewDecisionDialog } from './ReviewDecisionDialog';
import { SsoSwitch } from './SsoSwitch';
import { SuspensionDialog } from './SuspensionDialog';

export const accountPageKey = (accountId: string) => ['staff', 'account-page', accountId] as const;

type Dialog = 'credit' | 'rateLimits' | 'creditLimits' | 'suspension' | 'closure' | 'review' | null;

/**
 * One account as staff see it: status and lifecycle history, members, balance and ledger, usage,
 * numbers, tickets, audit trail and engine sessions, with the staff actions in its header.
 */
export function AccountPage({ accountId }: { accountId: string }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const queryClient = useQueryClient();
  const page = useQuery({
    queryKey: accountPageKey(accountId),
    queryFn: () => api.get<StaffAccountPageView>(`/api/staff/accounts/${accountId}`),
  });
  const back = (
    <Anchor component={Link} to="/staff" fz="sm">
      ← Staff console
    </Anchor>
  );
  if (page.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (page.isError) {
    return (
      <Stack>
        {back}
        <QueryError error={page.error} />
      </Stack>
    );
  }
  const { account } = page.data;
  // What the action dialogs work on, as the search answers it.
  const match: AccountMatch = {
    id: account.id,
    authId: account.authId,
    name: account.name,
    status: account.status,
    ownerEmail: page.data.members.find((m) => m.role === 'owner')?.email ?? '',
    createdAt: account.createdAt,
  };
  const on = (which: Dialog) => (which === dialog ? match : null);
  const close = () => setDialog(null);
  return (
    <Stack>
      {back}
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="sm">
              <Title order={2} fz="h3">
                {account.name}
              </Title>
              <Badge variant="light" color={statusColors[account.status] ?? 'gray'}>
                {statusText(account.status)}
              </Badge>
            </Group>
            <Text fz="sm" c="dimmed">
              {account.authId} · {match.ownerEmail}
            </Text>
          </div>
          <Group gap="xs">
            <Button size="compact-sm" variant="light" onClick={() => setDialog('credit')}>
              Adjust credit
            </Button>
            <Button size="compact-sm" variant="light" onClick={() => setDialog('rateLimits')}>
              Rate limits
            </Button>
            <Button size="compact-sm" variant="light" onClick={() => setDialog('creditLimits')}>
              Credit limits
            </Button>
            {(account.status === 'active' || account.status === 'suspended') && (
              <Button
                size="compact-sm"
                variant="light"
                color={account.status === 'suspended' ? 'teal' : 'red'}
                onClick={() => setDialog('suspension')}
              >
                {account.status === 'suspended' ? 'Reinstate' : 'Suspend'}
              </Button>
            )}
            {account.status === 'under_review' && (
              <Button size="compact-sm" variant="light" color="teal" onClick={() => setDialog('review')}>
                Approve or reject
              </Button>
            )}
            {(account.status === 'active' || account.status === 'suspended') && (
              <Button size="compact-sm" variant="outline" color="red" onClick={() => setDialog('closure')}>
                Close account
              </Button>
            )}
            <Group gap={6}>
              <Text fz="sm">SSO</Text>
              <SsoSwitch account={match} />
            </Group>
          </Group>
        </Group>
      </Paper>
      <Overview page={page.data} />
      <Members page={page.data} />
      <BalanceAndLedger page={page.data} />
      <Usage page={page.data} />
      <Numbers page={page.data} />
      <Tickets page={page.data} />
      <AuditTrail page={page.data} />
      <EngineSessions page={page.data} />
      <CreditDialog account={on('credit')} onClose={close} />
      <RateLimitsDialog account={on('rateLimits')} onClose={close} />
      <CreditLimitsDialog account={on('creditLimits')} onClose={close} />
      <SuspensionDialog account={on('suspension')} onClose={close} />
      <CloseAccountDialog account={on('closure')} onClose={close} />
      <ReviewDecisionDialog
        account={on('review')}
        onClose={close}
        onDecided={() => {
          close();
          queryClient.invalidateQueries({ queryKey: ['staff'] });
        }}
      />
    </Stack>
  );
}
