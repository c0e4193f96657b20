import { Type } from '@sinclair/typebox';
import { defineJob } from '../../jobs/definition.js';
import type { Clock } from '../../lib/clock.js';
import { type OutboundPolicy, postJson } from '../../lib/outbound.js';
import { signatureHeaders } from '../../lib/webhooks.js';
import type { EngineService } from '../billing/engines.js';
import { BOUND_JOB, type CreditControl, DISCONNECT_JOB } from './service.js';

/** Engines are the operator's own machines, often on its private network: every address is allowed. */
const ENGINE_NETWORK: OutboundPolicy = { allowLoopback: true, allowPrivate: true };

/** Every 10 s: calls whose cover ends within half an interval get the next interval held, or are disconnected. */
export function renewHoldsJob(credit: Pick<CreditControl, 'renewHolds'>) {
  return defineJob({
    name: 'credit.renew-holds',
    payload: Type.Object({}),
    schedule: { everySeconds: 10 },
    handle: async () => {
      await credit.renewHolds();
    },
  });
}

/** Every 30 s: sessions neither extended nor ended before their expiry end at their held amount, flagged. */
export function expireSessionsJob(credit: Pick<CreditControl, 'expireDue'>) {
  return defineJob({
    name: 'credit.expire-sessions',
    payload: Type.Object({}),
    schedule: { everySeconds: 30 },
    handle: async () => {
      await credit.expireDue();
    },
  });
}

/** Every minute: subaccounts at 80% or 100% of a spend cap are announced, once per period. */
export function spendCapAlertsJob(credit: Pick<CreditControl, 'alertSpendCaps'>) {
  return defineJob({
    name: 'credit.spend-cap-alerts',
    payload: Type.Object({}),
    schedule: { everySeconds: 60 },
    handle: async () => {
      await credit.alertSpendCaps();
    },
  });
}

/**
 * Tells an engine to end sessions. A Kamailio engine (protocol kamailio-jsonrpc): `dlg.end_dlg` on
 * its JSON-RPC endpoint for each answered call. Any other: a POST of {"event": "sessions.disconnect", "account", "reason",
 * "sessions"} to its disconnect URL, signed with its secret (x-switchboard-timestamp and
 * x-switchboard-signature) when sent. Retried until the engine answers 2xx: 10 attempts, 2 s
 * doubling (about half an hour); an engine without a URL is bounded by the max_seconds it was
 * answered, and there is nobody to tell.
 */
export function disconnectJob(
  engines: Pick<EngineService, 'disconnectTarget'>,
  clock: Clock,
  /** The SIP dialogs of answered calls among these sessions (a Kamailio engine ends each with dlg.end_dlg). */
  dialogsOf: (engineId: string, sessionIds: readonly string[]) => Promise<{ entry: number; id: bigint }[]>,
) {
  return defineJob({
    name: DISCONNECT_JOB,
    payload: Type.Object({
      engineId: Type.String(),
      account: Type.String(),
      reason: Type.String(),
      sessions: Type.Array(Type.String()),
    }),
    retry: { limit: 10, backoffSeconds: 2 },
    handle: async (request, job) => {
      const target = await engines.disconnectTarget(request.engineId);
      if (!target) return;
      if (target.protocol === 'kamailio-jsonrpc') {
        // Each answered call's dialog ends with a BYE to both sides; one already gone answers an RPC error, which is fine.
        for (const dialog of await dialogsOf(request.engineId, request.sessions)) {
          const call = JSON.stringify({
            jsonrpc: '2.0',
            method: 'dlg.end_dlg',
            params: [dialog.entry, Number(dialog.id)],
            id: `${job.id}:${dialog.entry}:${dialog.id}`,
          });
          const status = await postJson(target.url, call, {}, ENGINE_NETWORK);
          if (status < 200 || status >= 300)
            throw new Error(`Kamailio answered HTTP ${status} to dlg.end_dlg`);
        }
        return;
      }
      const body = JSON.stringify({
        event: 'sessions.disconnect',
        id: job.id,
        account: request.account,
        reason: request.reason,
        sessions: request.sessions,
      });
      const status = await postJson(
        target.url,
        body,
        signatureHeaders(target.secret, clock.now(), body),
        ENGINE_NETWORK,
      );
      if (status < 200 || status >= 300)
        throw new Error(`The engine answered HTTP ${status} to the disconnect request`);
    },
  });
}

/**
 * Tells a Kamailio engine (protocol kamailio-jsonrpc) that an answered call may run longer: the
 * method `switchboard.dialog_timeout` {h_entry, h_id, seconds} on its JSON-RPC endpoint, which the
 * config `switchboard kamailio config` prints handles with dlg_set_timeout (Kamailio 5.6 has no
 * RPC for it). Other engines learn the new bound from their next extend. Retried as a disconnect.
 */
export function raiseBoundJob(
  engines: Pick<EngineService, 'disconnectTarget'>,
  /** The answered call's dialog and the seconds it has left from now; null when it is not in progress. */
  boundOf: (
    engineId: string,
    sessionId: string,
  ) => Promise<{ entry: number; id: bigint; seconds: number } | null>,
) {
  return defineJob({
    name: BOUND_JOB,
    payload: Type.Object({ engineId: Type.String(), session: Type.String() }),
    retry: { limit: 10, backoffSeconds: 2 },
    handle: async (request, job) => {
      const target = await engines.disconnectTarget(request.engineId);
      if (target?.protocol !== 'kamailio-jsonrpc') return;
      const bound = await boundOf(request.engineId, request.session);
      if (!bound) return;
      const call = JSON.stringify({
        jsonrpc: '2.0',
        method: 'switchboard.dialog_timeout',
        params: { h_entry: bound.entry, h_id: Number(bound.id), seconds: bound.seconds },
        id: job.id,
      });
      const status = await postJson(target.url, call, {}, ENGINE_NETWORK);
      if (status < 200 || status >= 300)
        throw new Error(`Kamailio answered HTTP ${status} to switchboard.dialog_timeout`);
    },
  });
}
