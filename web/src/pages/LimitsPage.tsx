import {
  Badge,
  Button,
  Card,
  Group,
  Loader,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { LimitsOverviewView } from '@server/modules/credit-control/schemas';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useAccess } from '../access';
import { api, fieldError } from '../api';
import { DialogForm, FormDialog } from '../components/FormDialog';
import { PageTitle } from '../components/PageTitle';
import { Price } from '../components/Price';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';

type SubaccountLimits = LimitsOverviewView['subaccounts'][number];
const limitsKey = ['limits'] as const;

/** Account > Limits: calls and messages in progress against the account's limits, and each subaccount's spend against its caps. */
export function LimitsPage() {
  return (
    <Stack maw={1200} gap="lg">
      <PageTitle section="Account" title="Limits" />
      <RoleGate capability="viewLimits" activity="see the account’s limits">
        <Limits />
      </RoleGate>
    </Stack>
  );
}

/** "3 of 10" with a bar filling towards the limit. */
function InUse({ used, limit, label }: { used: number; limit: number; label: string }) {
  const percent = limit === 0 ? 100 : Math.min(100, (used / limit) * 100);
  return (
    <Stack gap={2} miw={120}>
      <Text fz="sm">
        {used} of {limit}
      </Text>
      <Progress
        value={percent}
        color={percent >= 100 ? 'red' : percent >= 80 ? 'orange' : 'indigo'}
        aria-label={label}
      />
    </Stack>
  );
}

function Spend({ spent, cap, label }: { spent: string; cap: string | null; label: string }) {
  if (cap === null)
    return (
      <Text fz="sm">
        <Price amount={spent} />{' '}
        <Text span c="dimmed" fz="xs">
          no cap
        </Text>
      </Text>
    );
  const ratio = Number(cap) === 0 ? 100 : Math.min(100, (Number(spent) / Number(cap)) * 100);
  return (
    <Stack gap={2} miw={140}>
      <Text fz="sm">
        <Price amount={spent} /> of <Price amount={cap} />
      </Text>
      <Progress
        value={ratio}
        color={ratio >= 100 ? 'red' : ratio >= 80 ? 'orange' : 'indigo'}
        aria-label={label}
      />
    </Stack>
  );
}

function Limits() {
  const access = useAccess();
  const [editing, setEditing] = useState<SubaccountLimits | null>(null);
  const limits = useQuery({ queryKey: limitsKey, queryFn: () => api.get<LimitsOverviewView>('/api/limits') });
  if (limits.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (limits.isError) return <QueryError error={limits.error} />;
  const { account, subaccounts } = limits.data;
  return (
    <>
      <Card withBorder padding="lg">
        <Stack gap="sm">
          <Title order={3} fz="h4">
            This account
          </Title>
          <Group gap="xl" align="flex-start">
            <Stack gap={4}>
              <Text fz="sm" fw={500}>
                Calls and messages in progress
              </Text>
              <InUse used={account.openSessions} limit={account.maxSessions} label="Sessions in progress" />
            </Stack>
            <Stack gap={4}>
              <Text fz="sm" fw={500}>
                Highest destination rate
              </Text>
              <Text fz="sm">
                {account.maxDestinationRate === null ? (
                  'No limit'
                ) : (
                  <Price amount={account.maxDestinationRate} />
                )}
              </Text>
            </Stack>
          </Group>
          <Text fz="sm" c="dimmed">
            A call or message over a limit is refused, as is a destination priced above the highest rate (a
            guard against toll fraud). Contact support to change these limits.
          </Text>
        </Stack>
      </Card>
      <Card withBorder padding="lg">
        <Stack gap="sm">
          <Title order={3} fz="h4">
            Subaccounts
          </Title>
          <Text fz="sm" c="dimmed">
            A subaccount that reaches a spend cap is treated as out of credit until the cap resets (the day or
            month starts in the account’s time zone): its calls are disconnected and it starts nothing new,
            while the main account and the other subaccounts go on. Alerts go out at 80% and 100%.
          </Text>
          {subaccounts.length === 0 ? (
            <Text fz="sm" c="dimmed">
              No subaccounts yet.
            </Text>
          ) : (
            <Table.ScrollContainer minWidth={760}>
              <Table verticalSpacing="sm" fz="sm" aria-label="Subaccount limits">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Subaccount</Table.Th>
                    <Table.Th>In progress</Table.Th>
                    <Table.Th>Today</Table.Th>
                    <Table.Th>This month</Table.Th>
                    <Table.Th>Highest rate</Table.Th>
                    <Table.Th />
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {subaccounts.map((sub) => (
                    <Table.Tr key={sub.authId}>
                      <Table.Td>
                        <Text fz="sm" fw={500}>
                          {sub.name}
                        </Text>
                        <Text fz="xs" c="dimmed" ff="monospace">
                          {sub.authId}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <InUse
                          used={sub.openSessions}
                          limit={sub.maxSessions}
                          label={`${sub.name} in progress`}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Spend spent={sub.spentToday} cap={sub.dailySpendCap} label={`${sub.name} today`} />
                      </Table.Td>
                      <Table.Td>
                        <Spend
                          spent={sub.spentThisMonth}
                          cap={sub.monthlySpendCap}
                          label={`${sub.name} this month`}
                        />
                      </Table.Td>
                      <Table.Td>
                        {sub.maxDestinationRate === null ? (
                          <Badge variant="light" color="gray">
                            Account’s
                          </Badge>
                        ) : (
                          <Price amount={sub.maxDestinationRate} />
                        )}
                      </Table.Td>
                      <Table.Td>
                        {access.can('manageSubaccounts') && (
                          <Button size="xs" variant="default" onClick={() => setEditing(sub)}>
                            Edit limits of {sub.name}
                          </Button>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
        </Stack>
      </Card>
      <FormDialog
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Limits of ${editing?.name ?? ''}`}
      >
        {editing && <EditLimits subaccount={editing} onDone={() => setEditing(null)} />}
      </FormDialog>
    </>
  );
}

const amountOrNull = (text: string) => (text.trim() === '' ? null : text.trim());

function EditLimits({ subaccount, onDone }: { subaccount: SubaccountLimits; onDone: () => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({
    maxSessions: String(subaccount.maxSessions),
    maxDestinationRate: subaccount.maxDestinationRate ?? '',
    dailySpendCap: subaccount.dailySpendCap ?? '',
    monthlySpendCap: subaccount.monthlySpendCap ?? '',
  });
  const save = useMutation({
    mutationFn: () =>
      api.put<LimitsOverviewView>(`/api/subaccounts/${subaccount.authId}/limits`, {
        maxSessions: form.maxSessions.trim() === '' ? null : Number(form.maxSessions),
        maxDestinationRate: amountOrNull(form.maxDestinationRate),
        dailySpendCap: amountOrNull(form.dailySpendCap),
        monthlySpendCap: amountOrNull(form.monthlySpendCap),
      }),
    onSuccess: (answer) => {
      client.setQueryData(limitsKey, answer);
      onDone();
    },
  });
  const fields = ['maxSessions', 'maxDestinationRate', 'dailySpendCap', 'monthlySpendCap'] as const;
  const labels = {
    maxSessions: ['Calls and messages in progress at once', 'Empty: the account’s limit'],
    maxDestinationRate: ['Highest destination rate', 'Per minute or per segment; empty: the account’s'],
    dailySpendCap: ['Daily spend cap', 'Empty: no cap'],
    monthlySpendCap: ['Monthly spend cap', 'Empty: no cap'],
  } as const;
  return (
    <DialogForm save={save} submitLabel="Save limits" onCancel={onDone} errorFields={[...fields]}>
      {fields.map((field) => (
        <TextInput
          key={field}
          label={labels[field][0]}
          description={labels[field][1]}
          value={form[field]}
          onChange={(event) => setForm({ ...form, [field]: event.currentTarget.value })}
          error={fieldError(save.error, field)}
          inputMode="decimal"
        />
      ))}
    </DialogForm>
  );
}
