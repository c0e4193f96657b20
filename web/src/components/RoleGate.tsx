import { Loader } from '@mantine/core';
import type { ReactNode } from 'react';
import { useAccess } from '../access';
import type { Capability } from '../roles';
import { NotPermitted } from './QueryError';

/**
 * Shows its page only to roles that may use it; others read why. When the role cannot be read, the
 * page is shown and the server's answer decides.
 */
export function RoleGate({
  capability,
  activity,
  children,
}: {
  capability: Capability;
  /** What the page does, completing "Your role cannot …". */
  activity: string;
  children: ReactNode;
}) {
  const access = useAccess();
  if (access.pending) return <Loader size="sm" aria-label="Loading" />;
  if (access.role && !access.can(capability)) {
    return (
      <NotPermitted
        message={`Your role (${access.roleName}) cannot ${activity}. Ask an Owner or Admin of the account.`}
      />
    );
  }
  return children;
}
