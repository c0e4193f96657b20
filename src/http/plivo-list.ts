/** Plivo's list envelope: meta with the neighbouring pages' relative URIs, and the objects. */
export function listEnvelope<T>(
  apiId: string,
  path: string,
  page: { limit: number; offset: number },
  total: number,
  objects: T[],
) {
  const uri = (offset: number) => `${path}?limit=${page.limit}&offset=${offset}`;
  return {
    api_id: apiId,
    meta: {
      limit: page.limit,
      next: page.offset + page.limit < total ? uri(page.offset + page.limit) : null,
      offset: page.offset,
      previous: page.offset > 0 ? uri(Math.max(0, page.offset - page.limit)) : null,
      total_count: total,
    },
    objects,
  };
}
