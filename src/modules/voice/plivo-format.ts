import { plivoTime } from '../../http/plivo-list.js';
import { formatMoney } from '../../lib/money.js';
import type { CallView } from './store.js';

const secondsBetween = (from: Date, to: Date) =>
  Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** A call as Plivo's Get Call answers it (without api_id). */
export function callObject(authId: string, call: CallView) {
  return {
    answer_time: call.answered_at ? plivoTime(call.answered_at) : null,
    bill_duration: call.duration_seconds ?? 0,
    billed_duration: call.billed_duration_seconds ?? 0,
    call_direction: call.direction,
    call_duration: call.ended_at ? secondsBetween(call.initiated_at, call.ended_at) : 0,
    call_state: call.state,
    call_uuid: call.id,
    end_time: call.ended_at ? plivoTime(call.ended_at) : null,
    from_number: call.from_number,
    hangup_cause_name: call.hangup_cause,
    hangup_source: call.hangup_source,
    initiation_time: plivoTime(call.initiated_at),
    parent_call_uuid: null,
    resource_uri: `/v1/Account/${authId}/Call/${call.id}/`,
    to_number: call.to_number,
    total_amount: formatMoney(BigInt(call.amount_micros)),
    total_rate: formatMoney(BigInt(call.rate_micros)),
    subaccount: call.subaccount_auth_id,
  };
}
