import type { Db } from '../../db/database.js';
import type { OwnerScope } from '../../db/paging.js';
import type { Jobs } from '../../jobs/runner.js';
import type { Clock } from '../../lib/clock.js';
import { assertThat } from '../../lib/errors.js';
import { newId } from '../../lib/ids.js';
import type { SecretBox } from '../../lib/secrets.js';
import { type CreditControl, DISCONNECT_JOB, type DisconnectRequest } from '../credit-control/service.js';
import { VoiceRefusals } from './errors.js';
import { type CallFilter, type CallRow, type CallView, VoiceStore } from './store.js';

export interface VoiceSettings {
  /** The SIP domain endpoints register in (SIP_DOMAIN): the digest's realm. */
  sipDomain: string;
  /** Where calls to numbers go out (SIP_CARRIER_URI, e.g. sip:carrier.example.com:5060); none: only endpoints and rented numbers. */
  carrierUri: string | null;
  /** Addresses the carrier's calls come from (SIP_CARRIER_ADDRESSES): the only unauthenticated INVITEs taken. */
  carrierAddresses: readonly string[];
}

/** A call as the SIP server asks about it (its INVITE). */
export interface CallAsked {
  sip_call_id: string;
  /** The authenticated endpoint's username; null for a call from a carrier address. */
  from_user: string | null;
  from: string;
  to: string;
  source_ip: string;
}

export interface CallRoute {
  call_uuid: string;
  max_seconds: number;
  route: 'endpoint' | 'carrier';
  target: string;
}

export interface CallEnding {
  hangup_cause: string;
  hangup_source: string;
  sip_code?: number;
}

/**
 * Voice through a SIP server (Kamailio, an engine): Switchboard answers the SIP digest of
 * endpoints (never a password), records where they are registered, and decides every call — who
 * pays, where it goes, and for how long the credit lets it run (a credit session whose id is the
 * call's uuid) — then records it as it is answered and ends, charged through the session.
 */
export class Voice {
  readonly store: VoiceStore;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly secrets: Pick<SecretBox, 'decrypt'>,
    private readonly credit: Pick<CreditControl, 'open' | 'end' | 'store'>,
    private readonly jobs: Pick<Jobs, 'enqueue'>,
    private readonly settings: VoiceSettings,
  ) {
    this.store = new VoiceStore(db);
  }

  /** The HA1 of an endpoint's digest in the SIP domain, for the SIP server to check a REGISTER or INVITE. */
  async digest(username: string, realm: string): Promise<{ ha1: string }> {
    const endpoint = realm === this.settings.sipDomain ? await this.store.endpoint(username) : undefined;
    assertThat(endpoint, () => VoiceRefusals.unknownEndpoint(username));
    assertThat(endpoint.usable, () => VoiceRefusals.accountInactive(username));
    return { ha1: this.secrets.decrypt(endpoint.sipHa1Encrypted) };
  }

  /** A registration the SIP server saved (expires 0: removed). */
  async register(input: {
    username: string;
    contact: string;
    user_agent?: string;
    expires: number;
    received?: string;
  }): Promise<void> {
    const endpoint = await this.store.endpoint(input.username);
    assertThat(endpoint, () => VoiceRefusals.unknownEndpoint(input.username));
    if (input.expires === 0) return this.store.removeRegistration(endpoint.id, input.contact);
    const now = this.clock.now();
    await this.store.saveRegistration({
      endpointId: endpoint.id,
      contact: input.contact,
      userAgent: input.user_agent ?? '',
      received: input.received ?? null,
      at: now,
      expiresAt: new Date(now.getTime() + input.expires * 1000),
    });
  }

  /**
   * Decides a call: who pays (the calling endpoint's account, or the account renting the number a
   * carrier's call reaches), where it goes, and the most seconds its credit buys (a credit session
   * opened for it). Asked again for the same SIP Call-ID, answers the same call.
   */
  async authorize(engineId: string, asked: CallAsked): Promise<CallRoute> {
    const earlier = await this.store.callBySipId(engineId, asked.sip_call_id);
    if (earlier) return this.#reopen(engineId, earlier);
    const plan = await this.#plan(asked);
    const callUuid = newId();
    const answer = await this.credit.open(engineId, {
      id: callUuid,
      account: plan.authId,
      product: 'voice',
      direction: plan.direction,
      from: asked.from,
      to: plan.ratedTo,
      number_type: plan.numberType,
    });
    if (!answer.allowed) throw VoiceRefusals.refusedByCredit(answer.status, answer.error, answer.reason);
    const now = this.clock.now();
    await this.store.insertCall({
      id: callUuid,
      engine_id: engineId,
      sip_call_id: asked.sip_call_id,
      account_id: plan.accountId,
      subaccount_id: plan.subaccountId,
      direction: plan.direction,
      from_number: asked.from,
      to_number: asked.to,
      caller_endpoint_id: plan.callerEndpointId,
      route: plan.route,
      target: plan.target,
      state: 'ringing',
      initiated_at: now,
      currency: plan.currency,
    });
    return {
      call_uuid: callUuid,
      max_seconds: answer.max_seconds ?? 0,
      route: plan.route,
      target: plan.target,
    };
  }

  /** The call was answered: it is in progress, and the SIP server's dialog ids let Switchboard end it. */
  async answered(engineId: string, callUuid: string, dialog: { h_entry?: number; h_id?: number }) {
    const call = await this.#callOf(engineId, callUuid);
    if (call.state === 'ringing')
      await this.store.updateCall(call.id, {
        state: 'in-progress',
        answered_at: this.clock.now(),
        dialog_entry: dialog.h_entry ?? null,
        dialog_id: dialog.h_id === undefined ? null : BigInt(dialog.h_id),
      });
    return { call_uuid: call.id };
  }

  /**
   * How much longer an answered call may run, from now, by its credit session's bound (seconds
   * from the answer): what its SIP server's dialog timer is set to when the bound grows. Null when
   * the call is not in progress.
   */
  async bound(
    engineId: string,
    callUuid: string,
  ): Promise<{ entry: number; id: bigint; seconds: number } | null> {
    const [dialog] = await this.store.dialogs(engineId, [callUuid]);
    const call = dialog && (await this.store.call(callUuid));
    const session = call && (await this.credit.store.session(engineId, callUuid));
    if (!dialog || !call?.answered_at || session?.status !== 'open') return null;
    const ran = Math.ceil((this.clock.now().getTime() - call.answered_at.getTime()) / 1000);
    return { ...dialog, seconds: Math.max(1, Number(session.max_quantity) - ran) };
  }

  /** The call ended: charged for the seconds from answer to end (to the increment) through its session. */
  async ended(engineId: string, callUuid: string, ending: CallEnding) {
    const call = await this.#callOf(engineId, callUuid);
    if (call.state === 'completed') return { call_uuid: call.id };
    const now = this.clock.now();
    let seconds = call.answered_at
      ? Math.max(0, Math.ceil((now.getTime() - call.answered_at.getTime()) / 1000))
      : 0;
    // Ended at the bound Switchboard gave (the SIP server's timer, or Switchboard's disconnect when
    // the credit ran out): what the credit bought, not the clocks' skew past it.
    if (ending.hangup_source === 'timeout' || ending.hangup_source === 'switchboard') {
      const session = await this.credit.store.session(engineId, call.id);
      if (session) seconds = Math.min(seconds, Number(session.max_quantity));
    }
    await this.credit.end(engineId, call.id, { seconds, ended_at: now.toISOString() });
    const charge = await this.store.charge(engineId, call.id);
    await this.store.updateCall(call.id, {
      state: 'completed',
      ended_at: now,
      duration_seconds: seconds,
      billed_duration_seconds: charge ? Number(charge.billed_quantity) : 0,
      rate_micros: charge?.rate_micros ?? 0n,
      amount_micros: charge?.amount_micros ?? 0n,
      hangup_cause: ending.hangup_cause,
      hangup_source: ending.hangup_source,
      sip_code: ending.sip_code ?? null,
    });
    return { call_uuid: call.id };
  }

  /** A call within what the caller may see, or 404. */
  async get(scope: OwnerScope, uuid: string): Promise<CallView> {
    const call = /^[0-9a-f-]{36}$/i.test(uuid) ? await this.store.find(scope, uuid.toLowerCase()) : undefined;
    assertThat(call, () => VoiceRefusals.unknownCall(uuid));
    return call;
  }

  /** The refusal for a call that has ended where a live one is asked for. */
  notLive(uuid: string) {
    return VoiceRefusals.notLive(uuid);
  }

  list(scope: OwnerScope, filter: CallFilter, page: { limit: number; offset: number }) {
    return this.store.page(scope, filter, page);
  }

  /**
   * Hangs up an answered call: its SIP server is told to end it (Kamailio: dlg.end_dlg, both sides
   * get a BYE), and the call ends as any call does. A call still ringing cannot be ended this way.
   */
  async hangUp(scope: OwnerScope & { authId: string }, uuid: string): Promise<void> {
    const call = await this.get(scope, uuid);
    assertThat(call.state !== 'completed', () => VoiceRefusals.notLive(uuid));
    assertThat(call.state === 'in-progress', () => VoiceRefusals.stillRinging(uuid));
    await this.jobs.enqueue(DISCONNECT_JOB, {
      engineId: call.engine_id,
      account: scope.authId,
      reason: 'hangup_requested',
      sessions: [call.id],
    } satisfies DisconnectRequest);
  }

  /** Where these endpoints are registered now (a registration past its expiry no longer counts), newest first. */
  registrationsNow(endpointIds: readonly string[]) {
    return this.store.registrations(endpointIds, this.clock.now());
  }

  async #callOf(engineId: string, callUuid: string): Promise<CallRow> {
    const call = /^[0-9a-f-]{36}$/i.test(callUuid)
      ? await this.store.call(callUuid.toLowerCase())
      : undefined;
    assertThat(call && call.engine_id === engineId, () => VoiceRefusals.unknownCall(callUuid));
    return call;
  }

  /** The same INVITE asked again: its session answers as it did (an open of a known id is not rated again). */
  async #reopen(engineId: string, call: CallRow): Promise<CallRoute> {
    const answer = await this.credit.open(engineId, {
      id: call.id,
      account: '',
      product: 'voice',
      direction: call.direction,
      from: call.from_number,
      to: call.to_number,
    });
    return {
      call_uuid: call.id,
      max_seconds: answer.allowed ? (answer.max_seconds ?? 0) : 0,
      route: call.route,
      target: call.target,
    };
  }

  /** Who pays for a call, how it is rated, and where it goes. */
  async #plan(asked: CallAsked) {
    const to = asked.to.trim();
    if (asked.from_user !== null) {
      const caller = await this.store.endpoint(asked.from_user);
      assertThat(caller, () => VoiceRefusals.unknownEndpoint(asked.from_user as string));
      assertThat(caller.usable, () => VoiceRefusals.accountInactive(caller.username));
      const owner = {
        authId: caller.authId,
        accountId: caller.accountId,
        subaccountId: caller.subaccountId,
        callerEndpointId: caller.id,
        direction: 'outbound' as const,
        currency: await this.#currencyOf(caller.accountId),
      };
      const callee = await this.store.endpoint(to);
      if (callee)
        return {
          ...owner,
          route: 'endpoint' as const,
          target: `sip:${callee.username}@${this.settings.sipDomain}`,
          ratedTo: `sip:${callee.username}@${this.settings.sipDomain}`,
          numberType: 'ip',
        };
      const digits = to.replace(/^\+/, '');
      const rented = /^\d{7,15}$/.test(digits) ? await this.store.rentedNumber(digits) : undefined;
      if (rented) {
        // A number rented here rings its application's endpoint; with none, there is no one to ring.
        assertThat(rented.endpoint_username, () => VoiceRefusals.unknownDestination(to));
        return {
          ...owner,
          route: 'endpoint' as const,
          target: `sip:${rented.endpoint_username}@${this.settings.sipDomain}`,
          ratedTo: digits,
          numberType: rented.number_type,
        };
      }
      assertThat(this.settings.carrierUri && /^\d{7,15}$/.test(digits), () =>
        VoiceRefusals.unknownDestination(to),
      );
      return {
        ...owner,
        route: 'carrier' as const,
        target: carrierTarget(this.settings.carrierUri as string, digits),
        ratedTo: digits,
        numberType: '',
      };
    }
    assertThat(this.settings.carrierAddresses.includes(asked.source_ip), () =>
      VoiceRefusals.forbiddenSource(asked.source_ip),
    );
    const digits = to.replace(/^\+/, '');
    const rented = /^\d{7,15}$/.test(digits) ? await this.store.rentedNumber(digits) : undefined;
    assertThat(rented?.endpoint_username && rented.account_id, () => VoiceRefusals.unknownDestination(to));
    return {
      authId: rented.sub_auth_id ?? rented.main_auth_id,
      accountId: rented.account_id,
      subaccountId: rented.subaccount_id,
      callerEndpointId: null,
      direction: 'inbound' as const,
      currency: await this.#currencyOf(rented.account_id),
      route: 'endpoint' as const,
      target: `sip:${rented.endpoint_username}@${this.settings.sipDomain}`,
      ratedTo: digits,
      numberType: rented.number_type,
    };
  }

  async #currencyOf(accountId: string): Promise<string> {
    return (await this.store.currency(accountId)) ?? 'USD';
  }
}

/** sip:<digits>@<the carrier's host and port>. */
function carrierTarget(carrierUri: string, digits: string): string {
  const host = carrierUri.replace(/^sips?:/, '').replace(/^[^@]*@/, '');
  return `sip:${digits}@${host}`;
}
