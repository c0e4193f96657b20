import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from '../../http/common-schemas.js';
import { AccountParams, ListQuery } from '../../http/plivo-schemas.js';

const Money = Type.String({ description: 'an amount with 5 decimals, such as "0.00850"' });
const PlivoTime = Type.String({ description: 'UTC, as Plivo writes it: "2026-12-06 21:33:27+00:00"' });
const TimeFilter = Type.String({ maxLength: 40, description: 'YYYY-MM-DD HH:MM[:ss[.uuuuuu]] (UTC)' });
const Seconds = Type.String({ maxLength: 10, description: 'whole seconds' });

export const CallParams = Type.Composite([
  AccountParams,
  Type.Object({ uuid: Type.String({ maxLength: 64 }) }),
]);

/** GET …/Call/: Plivo's filters; status=live lists the calls going on now. */
export const CallListQuery = Type.Composite([
  ListQuery,
  Type.Object({
    status: Type.Optional(Type.String({ maxLength: 10, description: 'live: the calls going on now' })),
    subaccount: Type.Optional(Type.String({ maxLength: 40 })),
    call_direction: Type.Optional(Type.String({ maxLength: 20, description: 'inbound or outbound' })),
    from_number: Type.Optional(Type.String({ maxLength: 128 })),
    to_number: Type.Optional(Type.String({ maxLength: 128 })),
    bill_duration: Type.Optional(Seconds),
    bill_duration__gt: Type.Optional(Seconds),
    bill_duration__gte: Type.Optional(Seconds),
    bill_duration__lt: Type.Optional(Seconds),
    bill_duration__lte: Type.Optional(Seconds),
    end_time: Type.Optional(TimeFilter),
    end_time__gt: Type.Optional(TimeFilter),
    end_time__gte: Type.Optional(TimeFilter),
    end_time__lt: Type.Optional(TimeFilter),
    end_time__lte: Type.Optional(TimeFilter),
  }),
]);
export type CallListQuery = Static<typeof CallListQuery>;

export const CallGetQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 10, description: 'live: the call as it goes on now' })),
});

/** A call as Get Call and List Calls answer it. */
export const CallObject = Type.Object({
  answer_time: Nullable(PlivoTime),
  bill_duration: Type.Integer({ description: 'seconds from answer to end' }),
  billed_duration: Type.Integer({ description: 'the seconds charged: bill_duration up to the increment' }),
  call_direction: Type.String(),
  call_duration: Type.Integer({ description: 'seconds from the INVITE to the end' }),
  call_state: Type.String({ description: 'ringing, in-progress or completed' }),
  call_uuid: Type.String(),
  end_time: Nullable(PlivoTime),
  from_number: Type.String(),
  hangup_cause_name: Nullable(Type.String()),
  hangup_source: Nullable(Type.String()),
  initiation_time: PlivoTime,
  parent_call_uuid: Nullable(Type.String()),
  resource_uri: Type.String(),
  to_number: Type.String(),
  total_amount: Money,
  total_rate: Money,
  subaccount: Nullable(Type.String()),
});

/** GET …/Call/?status=live */
export const LiveCalls = Type.Object({ api_id: Type.String(), calls: Type.Array(Type.String()) });

/** GET …/Call/{uuid}/?status=live */
export const LiveCall = Type.Object({
  api_id: Type.String(),
  call_uuid: Type.String(),
  call_status: Type.String({ description: 'ringing or in-progress' }),
  direction: Type.String(),
  from: Type.String(),
  to: Type.String(),
  caller_name: Type.String(),
  session_start: PlivoTime,
});
