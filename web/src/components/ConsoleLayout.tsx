import { Alert, Button, Center, Stack } from '@mantine/core';
import { Navigate, Outlet, useLocation } from 'react-router';
import { placeOf, useSession } from '../session';
import { SuspensionNotice } from './account/SuspensionNotice';
import { ConsoleShell } from './ConsoleShell';
import { PageLoader } from './PageLoader';

/** The signed-in console: people who are signed out, owe a second factor or are still onboarding go there first. */
export function ConsoleLayout() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <PageLoader />;
  if (session.isError) {
    return (
      <Center mih="60vh">
        <Stack align="center">
          <Alert color="red" title="The console could not load">
            {session.error.message}
          </Alert>
          <Button onClick={() => session.refetch()} loading={session.isFetching}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  const place = placeOf(session.data);
  if (!session.data || place === 'signin' || place === 'second_factor' || place === 'password_change') {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(next)}`} replace />;
  }
  if (place === 'onboarding') return <Navigate to="/onboarding" replace />;
  // A suspended account's members see the notice; billing and settings stay open to fix what caused it.
  const suspended =
    session.data.account?.status === 'suspended' &&
    !/^\/(billing|account\/settings)\//.test(location.pathname);
  return <ConsoleShell session={session.data}>{suspended ? <SuspensionNotice /> : <Outlet />}</ConsoleShell>;
}
