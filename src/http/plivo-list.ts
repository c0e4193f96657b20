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

/** A time as Plivo writes it: "2026-12-06 21:33:27+00:00" (UTC). */
export function plivoTime(at: Date): string {
  return `${at.toISOString().slice(0, 19).replace('T', ' ')}+00:00`;
}

/** Plivo's comparison suffixes on a list filter (`end_time__gte`), each with its SQL operator. */
export const PLIVO_OPERATORS = { '': '=', __gt: '>', __gte: '>=', __lt: '<', __lte: '<=' } as const;

const FILTER_TIME = /^(\d{4}-\d\d-\d\d)(?:[ T](\d\d:\d\d(?::\d\d(?:\.\d{1,6})?)?))?$/;

/** A list filter's time as Plivo writes it, "2026-12-06 09:30[:ss[.uuuuuu]]" (UTC); null when it is not one. */
export function plivoFilterTime(text: string): Date | null {
  const parts = FILTER_TIME.exec(text.trim());
  const at = parts ? new Date(`${parts[1]}T${parts[2] ?? '00:00'}Z`) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}
