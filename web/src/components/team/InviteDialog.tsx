import { NativeSelect, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, fieldError } from '../../api';
import { DialogForm, FormDialog } from '../FormDialog';
import { type AssignableRole, assignableRoles, teamKey } from './team';

/** Refusals about the address itself that the API gives without naming a field. */
const emailRefusals = ['already_invited', 'already_member'];

function emailError(error: unknown) {
  if (error instanceof ApiError && emailRefusals.includes(error.code)) return error.detail;
  return fieldError(error, 'email');
}

function roleError(error: unknown) {
  if (error instanceof ApiError && error.code === 'role_not_grantable') return error.detail;
  return fieldError(error, 'role');
}

/** Add New User: a work email and a role; Invite User emails them a link to join. */
export function InviteDialog({
  opened,
  onClose,
  onInvited,
}: {
  opened: boolean;
  onClose: () => void;
  onInvited: (email: string) => void;
}) {
  return (
    <FormDialog opened={opened} onClose={onClose} title="Add New User">
      <InviteForm onDone={onClose} onInvited={onInvited} />
    </FormDialog>
  );
}

function InviteForm({ onDone, onInvited }: { onDone: () => void; onInvited: (email: string) => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<AssignableRole>('developer');
  const invite = useMutation({
    mutationFn: () => api.post<{ id: string; email: string }>('/api/team/invitations', { email, role }),
    onSuccess: (invitation) => {
      void queryClient.invalidateQueries({ queryKey: teamKey });
      onInvited(invitation.email);
      onDone();
    },
  });
  const refusedHere = [emailError(invite.error), roleError(invite.error)].some(Boolean);

  return (
    <DialogForm
      save={invite}
      submitLabel="Invite User"
      onCancel={onDone}
      errorFields={['email', 'role']}
      error={refusedHere ? null : invite.error}
    >
      <Text fz="sm">
        They get an email with a link to join this account. The link works once, for 7 days.
      </Text>
      <TextInput
        label="Work email"
        type="email"
        required
        data-autofocus
        value={email}
        onChange={(event) => setEmail(event.currentTarget.value)}
        error={emailError(invite.error)}
      />
      <NativeSelect
        label="Role"
        data={assignableRoles}
        value={role}
        onChange={(event) => setRole(event.currentTarget.value as AssignableRole)}
        error={roleError(invite.error)}
      />
    </DialogForm>
  );
}
