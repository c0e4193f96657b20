import { Button, Card, Group, Loader, Stack, Switch, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';
import { UsageChart } from '../components/usage/UsageChart';
import { UsageFilters } from '../components/usage/UsageFilters';
import { UsageTable } from '../components/usage/UsageTable';
import { type UsageFilter, usageQuery, useUsageEmail, useUsageSummary } from '../components/usage/usage';

/**
 * Billing > Usage Summary: usage of the account and its subaccounts by day (chart) and by product and
 * subaccount (table) for a range of days, the CSV export of its records, and the daily email setting.
 */
export function UsageSummaryPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Billing" title="Usage Summary" />
      <RoleGate capability="readUsage" activity="read the usage summary">
        <Usage />
        <DailyEmail />
      </RoleGate>
    </Stack>
  );
}

/** The filters live in the address, so a filtered view can be reloaded and shared. */
function Usage() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo<UsageFilter>(
    () => ({
      from: params.get('from') ?? '',
      to: params.get('to') ?? '',
      product: params.get('product') ?? '',
      subaccount: params.get('subaccount') ?? '',
    }),
    [params],
  );
  const summary = useUsageSummary(filter);
  const show = (next: UsageFilter) =>
    setParams(Object.entries(next).filter(([, value]) => value.trim() !== ''));
  // The export names the range the summary answered, so both cover the same days.
  const exportQuery = summary.data
    ? usageQuery({ ...filter, from: summary.data.from, to: summary.data.to })
    : usageQuery(filter);

  return (
    <Card withBorder padding="lg">
      <Stack>
        <UsageFilters filter={filter} subaccounts={summary.data?.subaccounts ?? []} onApply={show} />
        {summary.isPending && <Loader size="sm" aria-label="Loading" />}
        {summary.isError && <QueryError error={summary.error} />}
        {summary.data && (
          <>
            <Group justify="space-between">
              <Text fz="sm" c="dimmed">
                {summary.data.from} to {summary.data.to}, days in {summary.data.timezone}
              </Text>
              <Button
                component="a"
                href={`/api/billing/usage.csv?${exportQuery}`}
                download
                variant="default"
                size="xs"
              >
                Export CSV
              </Button>
            </Group>
            {summary.data.lines.length === 0 ? (
              <Text c="dimmed" fz="sm">
                No usage in this range.
              </Text>
            ) : (
              <>
                <UsageChart summary={summary.data} />
                <UsageTable summary={summary.data} />
              </>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

/** The member's own setting: yesterday's usage by product, emailed each morning (06:00 in the account's time zone). */
function DailyEmail() {
  const { setting, change } = useUsageEmail();
  return (
    <Card withBorder padding="lg">
      <Stack gap="xs">
        <Switch
          label="Daily usage summary email"
          description="Each morning (after 06:00 in the account's time zone), yesterday's usage by product, sent to you"
          checked={setting.data?.enabled ?? false}
          disabled={!setting.data || change.isPending}
          onChange={(event) => change.mutate(event.currentTarget.checked)}
        />
        {change.isError && <QueryError error={change.error} />}
        {setting.isError && <QueryError error={setting.error} />}
      </Stack>
    </Card>
  );
}
