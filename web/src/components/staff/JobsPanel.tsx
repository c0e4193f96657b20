import { Alert, Button, Code, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api';
import { type FailedJob, type JobState, type JobsOverview, jobsKey } from './jobs';

const states: JobState[] = ['queued', 'running', 'completed', 'failed'];

/** Staff > Jobs: the background jobs by name and state, and the failed ones with their last error and Retry. */
export function JobsPanel() {
  const jobs = useQuery({ queryKey: jobsKey, queryFn: () => api.get<JobsOverview>('/api/staff/jobs') });
  const byName = new Map<string, Partial<Record<JobState, number>>>();
  for (const { name, state, count } of jobs.data?.counts ?? []) {
    byName.set(name, { ...byName.get(name), [state]: count });
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2} fz="h3">
          Jobs
        </Title>
        <Button variant="default" size="xs" onClick={() => jobs.refetch()} loading={jobs.isFetching}>
          Refresh
        </Button>
      </Group>
      <Text c="dimmed" size="sm">
        Background work (message delivery, the API request log, retention purges and sweeps). A failed job
        used all its attempts; retry it once its cause is fixed.
      </Text>
      {jobs.isPending && <Loader size="sm" />}
      {jobs.isError && <Alert color="red">{jobs.error.message}</Alert>}
      {jobs.data && (
        <Table.ScrollContainer minWidth={600}>
          <Table striped verticalSpacing="xs" fz="sm" aria-label="Jobs by state">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Job</Table.Th>
                {states.map((state) => (
                  <Table.Th key={state} ta="right" tt="capitalize">
                    {state}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {[...byName].map(([name, counts]) => (
                <Table.Tr key={name}>
                  <Table.Td>
                    <Code>{name}</Code>
                  </Table.Td>
                  {states.map((state) => (
                    <Table.Td key={state} ta="right">
                      {counts[state] ?? 0}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {jobs.data && byName.size === 0 && <Text c="dimmed">No jobs yet.</Text>}
      <Title order={3} fz="h4">
        Failed jobs
      </Title>
      {jobs.data?.failures.length === 0 && <Text c="dimmed">No job has failed.</Text>}
      {jobs.data && jobs.data.failures.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table verticalSpacing="xs" fz="sm" aria-label="Failed jobs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Job</Table.Th>
                <Table.Th>Failed</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Last error</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {jobs.data.failures.map((job) => (
                <FailedJobRow key={job.id} job={job} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}

function FailedJobRow({ job }: { job: FailedJob }) {
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api.post(`/api/staff/jobs/${job.id}/retry`, {}),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: jobsKey }),
  });
  return (
    <Table.Tr>
      <Table.Td>
        <Code>{job.name}</Code>
        <Text fz="xs" c="dimmed">
          #{job.id}
        </Text>
      </Table.Td>
      <Table.Td>{job.failedAt ? new Date(job.failedAt).toLocaleString() : '—'}</Table.Td>
      <Table.Td>{job.attempts}</Table.Td>
      <Table.Td>
        <Text fz="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
          {job.lastError ?? '—'}
        </Text>
        {retry.isError && (
          <Text fz="sm" c="red">
            {retry.error.message}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <Button
          size="xs"
          variant="light"
          onClick={() => retry.mutate()}
          loading={retry.isPending}
          aria-label={`Retry job #${job.id}`}
        >
          Retry
        </Button>
      </Table.Td>
    </Table.Tr>
  );
}
