import { type Static, Type } from '@sinclair/typebox';
import { Timestamp, type Wire } from '../http/console-schemas.js';

/** Staff > Jobs schemas. Like every schemas file this imports only TypeBox, so the console imports its types. */
export const JobState = Type.Union([
  Type.Literal('queued'),
  Type.Literal('running'),
  Type.Literal('completed'),
  Type.Literal('failed'),
]);
export type JobState = Static<typeof JobState>;

const FailedJob = Type.Object({
  id: Type.String(),
  name: Type.String(),
  key: Type.Union([Type.String(), Type.Null()]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp(),
  failedAt: Type.Union([Timestamp(), Type.Null()]),
});
/** A failed job as the console receives it. */
export type FailedJob = Wire<Static<typeof FailedJob>>;

/** GET /api/staff/jobs: how many jobs of each name are in each state, and the failed ones. */
export const JobsOverview = Type.Object({
  counts: Type.Array(Type.Object({ name: Type.String(), state: JobState, count: Type.Integer() })),
  failures: Type.Array(FailedJob),
});
export type JobsOverview = Wire<Static<typeof JobsOverview>>;
