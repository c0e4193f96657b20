import { AppShell, Button, Group, ScrollArea, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { type ConsoleSession, signOut } from '../session';
import { AccountSwitcher } from './AccountSwitcher';
import { CreditBanner } from './billing/CreditBanner';
import { ConsoleMenu } from './ConsoleMenu';

/** The console frame: the menu, the account's name, and the person with their sign-out. */
export function ConsoleShell({ session, children }: { session: ConsoleSession; children: ReactNode }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const leave = useMutation({
    mutationFn: () => signOut(queryClient),
    onSuccess: () => navigate('/signin', { replace: true }),
  });

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm' }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="lg" justify="space-between">
          <Group gap="sm">
            <Text component={Link} to="/" fw={700} fz="lg" c="indigo.7">
              Switchboard
            </Text>
            {session.account && <AccountSwitcher current={session.account} />}
          </Group>
          <Group gap="md">
            <Stack gap={0} align="flex-end">
              <Text fz="sm" fw={500}>
                {session.user.name}
              </Text>
              <Text fz="xs" c="dimmed">
                {session.user.email}
              </Text>
            </Stack>
            <Button variant="default" size="xs" onClick={() => leave.mutate()} loading={leave.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" aria-label="Console menu">
        <ScrollArea>
          <ConsoleMenu />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main bg="gray.0">
        <CreditBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
