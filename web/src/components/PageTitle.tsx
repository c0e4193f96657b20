import { Text, Title } from '@mantine/core';

/** A console page's heading, under the menu path it belongs to ("Account › Settings"). */
export function PageTitle({ section, title }: { section?: string; title: string }) {
  return (
    <div>
      {section && (
        <Text fz="sm" c="dimmed">
          {section}
        </Text>
      )}
      <Title order={2} fz="h3">
        {title}
      </Title>
    </div>
  );
}
