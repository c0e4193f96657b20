import { Alert, Button, Card, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { PageTitle } from '../components/PageTitle';
import { QueryError } from '../components/QueryError';
import { RoleGate } from '../components/RoleGate';
import { InvitationsTable } from '../components/team/InvitationsTable';
import { InviteDialog } from '../components/team/InviteDialog';
import { MembersTable } from '../components/team/MembersTable';
import { useTeam } from '../components/team/team';
import { useSession } from '../session';

/** Account > Settings > Team: members and their roles, Add New User, and pending invitations. */
export function TeamPage() {
  return (
    <Stack maw={960} gap="lg">
      <PageTitle section="Account › Settings" title="Team" />
      <RoleGate capability="manageTeam" activity="manage the team">
        <TeamCards />
      </RoleGate>
    </Stack>
  );
}

function TeamCards() {
  const team = useTeam();
  const session = useSession();
  const [inviting, setInviting] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  if (team.isPending) return <Loader size="sm" aria-label="Loading" />;
  if (team.isError) return <QueryError error={team.error} />;

  return (
    <>
      {notice && (
        <Alert color="teal" role="status" withCloseButton onClose={() => setNotice(null)}>
          {notice}
        </Alert>
      )}
      <Card withBorder padding="lg">
        <Group justify="space-between" mb="xs">
          <Title order={3} fz="h5">
            Members
          </Title>
          <Button onClick={() => setInviting(true)}>Add New User</Button>
        </Group>
        <Text fz="sm" c="dimmed" mb="sm">
          Admins manage the account; Developers use the API credentials and logs; Support reads logs;
          Financial Analysts see billing. The Owner's role never changes.
        </Text>
        <MembersTable members={team.data.members} yourUserId={session.data?.user.id} />
      </Card>
      <Card withBorder padding="lg">
        <Title order={3} fz="h5" mb="sm">
          Pending invitations
        </Title>
        <InvitationsTable
          invitations={team.data.invitations}
          onResent={(email) =>
            setNotice(`A new invitation link was sent to ${email}; the previous link no longer works.`)
          }
        />
      </Card>
      <InviteDialog
        opened={inviting}
        onClose={() => setInviting(false)}
        onInvited={(email) => setNotice(`Invitation sent to ${email}.`)}
      />
    </>
  );
}
