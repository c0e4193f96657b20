import { Group, NativeSelect, Pagination, Text } from '@mantine/core';
import { useMemo } from 'react';
import { useSearchParams } from 'react-router';

const pageSizes = ['25', '50', '100', '200'];
const DEFAULT_SIZE = 50;

/**
 * A filtered list whose filters, page and page size live in the address, so a filtered view can be
 * reloaded and shared: the filter's fields (empty when absent), the page and its size, and `show`
 * to move to other filters or another page.
 */
export function useAddressedList<Filter extends { [Field in keyof Filter]: string }>(
  fields: readonly (keyof Filter & string)[],
) {
  const [params, setParams] = useSearchParams();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the fields are a constant of the page
  const filter = useMemo(
    () => Object.fromEntries(fields.map((field) => [field, params.get(field) ?? ''])) as Filter,
    [params],
  );
  const page = Math.max(1, Number(params.get('page')) || 1);
  const pageSize = pageSizes.includes(params.get('limit') ?? '') ? Number(params.get('limit')) : DEFAULT_SIZE;
  const show = (next: Filter, nextPage = 1, nextSize = pageSize) => {
    const entries = Object.entries<string>(next).filter(([, value]) => value.trim() !== '');
    if (nextPage > 1) entries.push(['page', String(nextPage)]);
    if (nextSize !== DEFAULT_SIZE) entries.push(['limit', String(nextSize)]);
    setParams(entries);
  };
  return { filter, page, pageSize, show };
}

/** Under a list: which rows are shown of how many, the page size and the pages. */
export function ListFooter({
  page,
  pageSize,
  shown,
  total,
  onPage,
  onPageSize,
}: {
  page: number;
  pageSize: number;
  shown: number;
  total: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}) {
  const firstShown = (page - 1) * pageSize + 1;
  return (
    <Group justify="space-between">
      <Text fz="sm" c="dimmed">
        {firstShown}–{firstShown + shown - 1} of {total}
      </Text>
      <Group>
        <NativeSelect
          aria-label="Rows per page"
          data={pageSizes}
          value={String(pageSize)}
          onChange={(event) => onPageSize(Number(event.currentTarget.value))}
        />
        <Pagination total={Math.max(1, Math.ceil(total / pageSize))} value={page} onChange={onPage} />
      </Group>
    </Group>
  );
}
