import { Alert, Button, FileButton, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, formError } from '../../api';
import { InventoryTable } from './InventoryTable';
import { inventoryKey } from './inventory';

const example =
  'number,country_iso,type,region,voice,sms,monthly_rental\n14155550123,US,local,"California, UNITED STATES",true,true,0.8';

/**
 * Number inventory: every number with who rents it, and removing those nobody rents; staff add
 * numbers customers can search and rent from the same CSV the CLI loads.
 */
export function NumberInventory() {
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const load = useMutation({
    mutationFn: () => api.post<{ loaded: number }>('/api/staff/numbers', { csv }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: inventoryKey }),
  });
  const readFile = async (file: File | null) => {
    if (file) setCsv(await file.text());
  };

  return (
    <Stack>
      <Title order={2} fz="h3">
        Number inventory
      </Title>
      <InventoryTable />
      <Stack maw={860} mt="md">
        <Title order={3} fz="h4">
          Add numbers
        </Title>
        <Text c="dimmed" size="sm">
          Paste or choose a CSV file with a header line; every line is checked first and nothing is added
          unless all are good. Columns: number, country_iso, type (local, tollfree or mobile), region, voice,
          sms, monthly_rental, and optionally city, rate_center, mms, voice_rate, sms_rate, mms_rate. Each
          number must be a valid number of its country and of its type.
        </Text>
        <Textarea
          label="Numbers (CSV)"
          placeholder={example}
          autosize
          minRows={6}
          maxRows={16}
          value={csv}
          onChange={(event) => setCsv(event.currentTarget.value)}
          ff="monospace"
        />
        {load.isError && (
          <Alert color="red" title="Nothing was added">
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {formError(load.error)}
            </Text>
          </Alert>
        )}
        {load.isSuccess && (
          <Alert color="teal" title="Numbers added">
            {load.data.loaded} numbers are now in the inventory.
          </Alert>
        )}
        <Group>
          <FileButton onChange={readFile} accept=".csv,text/csv">
            {(props) => (
              <Button variant="default" {...props}>
                Choose a CSV file
              </Button>
            )}
          </FileButton>
          <Button onClick={() => load.mutate()} loading={load.isPending} disabled={!csv.trim()}>
            Add to inventory
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
