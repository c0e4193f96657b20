import { Button, Text } from '@mantine/core';
import { Link } from 'react-router';
import { AuthLayout } from '../components/AuthLayout';

export function NotFoundPage() {
  return (
    <AuthLayout title="Page not found">
      <Text>There is no page at this address.</Text>
      <Button component={Link} to="/">
        Go to the console
      </Button>
    </AuthLayout>
  );
}
