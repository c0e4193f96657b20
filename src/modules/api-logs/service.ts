import { type Db, executor } from '../../db/database.js';
import { ValidationFailed } from '../../lib/errors.js';

export interface ApiLogFilter {
  from?: string;
  to?: string;
  status?: string;
  path?: string;
  limit: number;
  offset: number;
}

const STATUS = /^([1-5])(xx|\d\d)$/;

/** Logs > API: the account's /v1 requests, newest first, filtered by date, status and path. */
export class ApiLogService {
  constructor(private readonly db: Db) {}

  async search(accountId: string, filter: ApiLogFilter) {
    const from = filter.from ? new Date(filter.from) : undefined;
    const to = filter.to ? new Date(filter.to) : undefined;
    if ((from && Number.isNaN(from.getTime())) || (to && Number.isNaN(to.getTime()))) {
      throw ValidationFailed(
        'invalid_date',
        'from and to must be dates such as 2026-11-25 or 2026-11-25T10:00:00Z.',
      );
    }
    const status = filter.status ? STATUS.exec(filter.status) : undefined;
    if (filter.status && !status) {
      throw ValidationFailed(
        'invalid_status',
        'status must be an HTTP status such as 429, or a class such as 4xx.',
      );
    }
    let query = executor(this.db).selectFrom('api_requests').where('account_id', '=', accountId);
    if (from) query = query.where('created_at', '>=', from);
    if (to) query = query.where('created_at', '<=', to);
    if (status?.[2] === 'xx') {
      const low = Number(status[1]) * 100;
      query = query.where('status', '>=', low).where('status', '<', low + 100);
    } else if (status) {
      query = query.where('status', '=', Number(filter.status));
    }
    if (filter.path)
      query = query.where('path', 'like', `%${filter.path.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    const [rows, total] = await Promise.all([
      query
        .select([
          'api_id as apiId',
          'method',
          'path',
          'status',
          'ip',
          'duration_ms as durationMs',
          'created_at as at',
        ])
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(filter.limit)
        .offset(filter.offset)
        .execute(),
      query.select((eb) => eb.fn.countAll<string>().as('count')).executeTakeFirstOrThrow(),
    ]);
    return { requests: rows, total: Number(total.count) };
  }
}
