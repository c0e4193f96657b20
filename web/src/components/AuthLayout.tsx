import { Anchor, Box, Center, Container, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';

/** The frame of the pages a person sees before the console: sign up, sign in, links from emails. */
export function AuthLayout({
  title,
  description,
  width = 440,
  children,
  footer,
}: {
  title: string;
  description?: ReactNode;
  width?: number;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <Box bg="gray.0" mih="100vh">
      <Container size={width} py={56}>
        <Center mb="lg">
          <Anchor component={Link} to="/" underline="never" fw={700} fz="xl" c="indigo.7">
            Switchboard
          </Anchor>
        </Center>
        <Paper withBorder shadow="sm" p="xl">
          <Stack gap="md">
            <Stack gap={4}>
              <Title order={2} fz="h3">
                {title}
              </Title>
              {description && (
                <Text c="dimmed" fz="sm">
                  {description}
                </Text>
              )}
            </Stack>
            {children}
          </Stack>
        </Paper>
        {footer && (
          <Text ta="center" fz="sm" mt="md">
            {footer}
          </Text>
        )}
      </Container>
    </Box>
  );
}
