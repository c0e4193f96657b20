import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { RequestLog } from './request-log.js';

/** Each instance writes its own buffer once a second; the gate's requests only append to it. */
export function flushRequestLogJob(requestLog: RequestLog) {
  return defineJob({
    name: 'request-log.flush',
    payload: Type.Object({}),
    schedule: { everySeconds: 1, eachInstance: true },
    handle: () => requestLog.flush(),
  });
}

/** Logs > API keeps requests and failed authentications for API_LOG_RETENTION_DAYS; older go hourly. */
export function purgeRequestLogJob(requestLog: RequestLog, retentionDays: number) {
  return defineJob({
    name: 'request-log.purge',
    payload: Type.Object({}),
    schedule: { everySeconds: 3600 },
    handle: () => requestLog.purge(retentionDays),
  });
}
