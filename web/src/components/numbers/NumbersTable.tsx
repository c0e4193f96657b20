import { Button, Group, Table } from '@mantine/core';
import { useState } from 'react';
import { api } from '../../api';
import type { Application } from '../applications/applications';
import { ConfirmDeleteDialog } from '../ConfirmDeleteDialog';
import { Price } from '../Price';
import { ownerName, type Subaccount, subaccountsKey } from '../subaccounts/subaccounts';
import { ChangeNumberDialog, type NumberChange } from './ChangeNumberDialog';
import { appIdOf, numberPath, numbersKey, type RentedNumber, releaseConsequence } from './numbers';

type Action = { kind: NumberChange | 'release'; number: RentedNumber };

const actionLabels = {
  alias: 'Edit alias',
  application: 'Link application',
  move: 'Move',
  release: 'Release',
} as const;

/** The account's rented numbers; every role that sees them changes them, Owner and Admin also release. */
export function NumbersTable({
  numbers,
  applications,
  subaccounts,
  mainAuthId,
  canRelease,
}: {
  numbers: RentedNumber[];
  applications: Application[];
  subaccounts: Subaccount[];
  mainAuthId: string;
  canRelease: boolean;
}) {
  const [action, setAction] = useState<Action | null>(null);
  const close = () => setAction(null);
  const target = action?.number;
  const kinds = (['alias', 'application', 'move', 'release'] as const).filter(
    (kind) => kind !== 'release' || canRelease,
  );
  const applicationName = (uri: string | null) => {
    const appId = appIdOf(uri);
    return appId ? (applications.find((app) => app.app_id === appId)?.app_name ?? appId) : 'None';
  };
  return (
    <>
      <Table verticalSpacing="sm" fz="sm" aria-label="Phone numbers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Number</Table.Th>
            <Table.Th>Alias</Table.Th>
            <Table.Th>Subaccount</Table.Th>
            <Table.Th>Application</Table.Th>
            <Table.Th>Monthly rental</Table.Th>
            <Table.Th>Renewal date</Table.Th>
            <Table.Th aria-label="Actions" />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {numbers.map((rented) => (
            <Table.Tr key={rented.number}>
              <Table.Td>+{rented.number}</Table.Td>
              <Table.Td>{rented.alias}</Table.Td>
              <Table.Td>{ownerName(subaccounts, rented.sub_account)}</Table.Td>
              <Table.Td>{applicationName(rented.application)}</Table.Td>
              <Table.Td>
                <Price amount={rented.monthly_rental_rate} />
              </Table.Td>
              <Table.Td>{rented.renewal_date}</Table.Td>
              <Table.Td>
                <Group gap={4} justify="flex-end" wrap="nowrap">
                  {kinds.map((kind) => (
                    <Button
                      key={kind}
                      size="compact-sm"
                      variant="subtle"
                      color={kind === 'release' ? 'red' : undefined}
                      aria-label={`${actionLabels[kind]} ${rented.number}`}
                      onClick={() => setAction({ kind, number: rented })}
                    >
                      {actionLabels[kind]}
                    </Button>
                  ))}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <ChangeNumberDialog
        change={action && action.kind !== 'release' ? action.kind : null}
        number={target}
        mainAuthId={mainAuthId}
        onClose={close}
      />
      <ConfirmDeleteDialog
        title={`Release ${target?.number ?? ''}?`}
        confirmLabel="Release"
        opened={action?.kind === 'release'}
        onClose={close}
        remove={() => api.delete(numberPath(target?.number ?? ''))}
        invalidates={[numbersKey, subaccountsKey]}
      >
        {releaseConsequence}
      </ConfirmDeleteDialog>
    </>
  );
}
