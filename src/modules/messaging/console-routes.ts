import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { consoleResponses, NoContent } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf } from '../../http/guard.js';
import { assertThat, Forbidden, NotFound, ValidationFailed } from '../../lib/errors.js';
import { formatMoney } from '../../lib/money.js';
import type { ApiScope } from '../accounts/scope.js';
import type { AccountService } from '../accounts/service.js';
import type { NumberService } from '../numbers/service.js';
import { SubaccountErrors } from '../subaccounts/errors.js';
import type { SenderIdService } from '../subaccounts/sender-ids.js';
import type { SubaccountService } from '../subaccounts/service.js';
import {
  ConsoleMessageDetail,
  ConsoleMessagePage,
  ConsoleMessageParams,
  ConsoleMessageQuery,
  ConsoleSend,
  ConsoleSent,
  OwnedSenderIdParams,
  OwnedSenderIds,
  SenderIdWhitelisted,
  SenderIdWhitelisting,
  Senders,
} from './console-schemas.js';
import { chargedAmount, shownState } from './plivo-format.js';
import type { Messaging } from './service.js';
import type { MessageFilter, MessageView } from './store.js';

const tags = ['Console: messaging'];

/** The console's own refusals of a send (the Message API's gate refuses the same for /v1). */
export const ConsoleMessageErrors = {
  accountNotActive: 'account_not_active',
  subaccountDisabled: 'subaccount_disabled',
  senderIdNotFound: 'sender_id_not_found',
} as const;

/** Accounts that may not send, as the /v1 gate refuses them, with why. */
const notSending: Record<string, string> = {
  suspended:
    'The account is suspended: messages cannot be sent. Request reinstatement from the console home.',
  closed: 'The account is closed: messages cannot be sent.',
  rejected: 'The account was not activated after review: messages cannot be sent.',
};

/** What Messaging > Logs and Messaging > Sender IDs use. */
export interface MessagingConsoleDeps {
  messaging: Pick<Messaging, 'send' | 'get' | 'list' | 'timeline' | 'cancel'>;
  accounts: Pick<AccountService, 'view'>;
  subaccounts: Pick<SubaccountService, 'store'>;
  senderIds: Pick<SenderIdService, 'list' | 'add' | 'remove'>;
  numbers: Pick<NumberService, 'page'>;
}

/** A message as the console lists it. */
function consoleMessage(message: MessageView) {
  return {
    uuid: message.id,
    direction: message.direction,
    state: shownState(message.state),
    from: message.from_number,
    to: message.to_number,
    subaccount: message.subaccount_auth_id,
    units: message.units,
    encoding: message.encoding,
    country: message.country_iso,
    rate: formatMoney(BigInt(message.rate_micros)),
    amount: formatMoney(chargedAmount(message)),
    errorCode: message.error_code,
    createdAt: message.created_at,
    sentAt: message.sent_at,
    sendAt: message.send_at,
    updatedAt: message.updated_at,
  };
}

/**
 * Messaging > Logs (the account's and its subaccounts' messages, each with its delivery timeline),
 * the send-a-test-SMS form, and Messaging > Sender IDs (the main account's and each subaccount's).
 */
export function messagingConsoleRoutes(parent: FastifyInstance, deps: MessagingConsoleDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { messaging, accounts, subaccounts, senderIds, numbers } = deps;
  const actorOf = (request: FastifyRequest) => ({
    ...clientOf(request),
    userId: memberSessionOf(request).userId,
  });
  const mainScope = async (request: FastifyRequest): Promise<ApiScope> => {
    const account = await accounts.view(memberSessionOf(request).accountId);
    return { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
  };
  /** The main account (null) and its subaccounts, each with the id sender IDs are whitelisted under. */
  const owners = async (mainAccountId: string) => {
    const rows = await subaccounts.store.page(mainAccountId, 500, 0);
    return [
      { ownerId: mainAccountId, subaccount: null },
      ...rows.map((row) => ({ ownerId: row.id, subaccount: { authId: row.auth_id, name: row.name } })),
    ];
  };
  const subaccountNamed = async (mainAccountId: string, authId: string) => {
    const row = await subaccounts.store.byAuthId(mainAccountId, authId);
    assertThat(
      row,
      ValidationFailed(SubaccountErrors.invalidSubaccount, `${authId} is not a subaccount of this account.`, [
        { field: 'subaccount', message: 'not a subaccount of this account' },
      ]),
    );
    return row;
  };

  app.get(
    '/api/messaging/messages',
    {
      schema: {
        tags,
        summary:
          'Messages of the account and its subaccounts, newest first, filtered by time, state, direction, numbers and subaccount',
        querystring: ConsoleMessageQuery,
        response: consoleResponses({ 200: ConsoleMessagePage }),
      },
    },
    async (request) => {
      const { query } = request;
      const filter: MessageFilter = { time: [] };
      if (query.from) filter.time.push({ operator: '>=', at: new Date(query.from) });
      if (query.to) filter.time.push({ operator: '<', at: new Date(query.to) });
      if (query.state) filter.states = query.state === 'queued' ? ['queued', 'sending'] : [query.state];
      if (query.direction) filter.direction = query.direction;
      if (query.fromNumber?.trim()) filter.fromNumber = query.fromNumber.trim().replace(/^\+/, '');
      if (query.toNumber?.trim()) filter.toNumber = query.toNumber.trim().replace(/^\+/, '');
      if (query.subaccount?.trim()) filter.subaccountAuthId = query.subaccount.trim();
      const page = await messaging.list(await mainScope(request), filter, {
        limit: query.limit,
        offset: query.offset,
      });
      return { messages: page.rows.map(consoleMessage), total: page.total };
    },
  );

  app.get(
    '/api/messaging/messages/:messageUuid',
    {
      schema: {
        tags,
        summary: 'A message with its text and delivery timeline',
        params: ConsoleMessageParams,
        response: consoleResponses({ 200: ConsoleMessageDetail }, 404),
      },
    },
    async (request) => {
      const message = await messaging.get(await mainScope(request), request.params.messageUuid);
      const timeline = await messaging.timeline(message.id);
      return {
        ...consoleMessage(message),
        text: message.body === '' && !message.log ? null : message.body,
        callbackUrl: message.callback_url,
        expirySeconds: message.expiry_seconds,
        timeline: timeline.map((event) => ({
          state: event.state,
          errorCode: event.error_code,
          detail: event.detail,
          at: event.at,
        })),
      };
    },
  );

  app.post(
    '/api/messaging/messages',
    {
      schema: {
        tags,
        summary:
          'Send a test SMS as the main account or a subaccount: rated, charged and delivered as the Message API sends it',
        body: ConsoleSend,
        response: consoleResponses({ 202: ConsoleSent }, 402),
      },
    },
    async (request, reply) => {
      const account = await accounts.view(memberSessionOf(request).accountId);
      const refusal = notSending[account.status];
      assertThat(!refusal, () => Forbidden(ConsoleMessageErrors.accountNotActive, refusal as string));
      const scope: ApiScope = { mainAccountId: account.id, mainAuthId: account.authId, subaccount: null };
      const { subaccount, ...input } = request.body;
      if (subaccount) {
        const row = await subaccountNamed(account.id, subaccount);
        assertThat(
          row.enabled,
          Forbidden(
            ConsoleMessageErrors.subaccountDisabled,
            `${row.name} is disabled: enable it on the Subaccounts page to send as it.`,
          ),
        );
        scope.subaccount = { id: row.id, authId: row.auth_id };
      }
      const sent = await messaging.send({ scope, ip: request.ip }, input);
      return reply.code(202).send({ messageUuids: sent.messageUuids, invalidNumbers: sent.invalidNumbers });
    },
  );

  app.delete(
    '/api/messaging/messages/:messageUuid',
    {
      schema: {
        tags,
        summary: 'Cancel a scheduled message: it will not be sent (409 once it is queued or sent)',
        params: ConsoleMessageParams,
        response: consoleResponses({ 204: NoContent }, 404, 409),
      },
    },
    async (request, reply) => {
      await messaging.cancel(await mainScope(request), request.params.messageUuid);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/messaging/senders',
    {
      schema: {
        tags,
        summary: 'What the account may send from: its numbers with SMS and its whitelisted sender IDs',
        response: consoleResponses({ 200: Senders }),
      },
    },
    async (request) => {
      const scope = await mainScope(request);
      const everyOwner = await owners(scope.mainAccountId);
      const named = new Map(everyOwner.map((owner) => [owner.subaccount?.authId, owner.subaccount]));
      const rented = await numbers.page(scope, { services: 'sms' }, 500, 0);
      const ids = await Promise.all(everyOwner.map((owner) => senderIds.list(owner.ownerId)));
      return {
        senders: [
          ...rented.rows.map((row) => ({
            src: row.number,
            kind: 'number' as const,
            subaccount: row.subaccount_auth_id ? (named.get(row.subaccount_auth_id) ?? null) : null,
          })),
          ...everyOwner.flatMap((owner, index) =>
            (ids[index] ?? []).map((row) => ({
              src: row.senderId,
              kind: 'sender_id' as const,
              subaccount: owner.subaccount,
            })),
          ),
        ],
      };
    },
  );

  app.get(
    '/api/messaging/sender-ids',
    {
      schema: {
        tags,
        summary: 'The sender IDs whitelisted for the main account and for each subaccount',
        response: consoleResponses({ 200: OwnedSenderIds }),
      },
    },
    async (request) => {
      const everyOwner = await owners(memberSessionOf(request).accountId);
      const lists = await Promise.all(everyOwner.map((owner) => senderIds.list(owner.ownerId)));
      return {
        senderIds: everyOwner.flatMap((owner, index) =>
          (lists[index] ?? []).map((row) => ({ ...row, subaccount: owner.subaccount })),
        ),
      };
    },
  );

  app.post(
    '/api/messaging/sender-ids',
    {
      schema: {
        tags,
        summary:
          'Whitelist a sender ID (alphanumeric, or a phone number) for the main account or a subaccount',
        body: SenderIdWhitelisting,
        response: consoleResponses({ 201: SenderIdWhitelisted }, 409),
      },
    },
    async (request, reply) => {
      const mainAccountId = memberSessionOf(request).accountId;
      const sub = request.body.subaccount
        ? await subaccountNamed(mainAccountId, request.body.subaccount)
        : null;
      const added = await senderIds.add(
        actorOf(request),
        mainAccountId,
        sub?.id ?? mainAccountId,
        request.body.senderId,
      );
      return reply.code(201).send({
        ...added,
        subaccount: sub ? { authId: sub.auth_id, name: sub.name } : null,
      });
    },
  );

  app.delete(
    '/api/messaging/sender-ids/:senderIdId',
    {
      schema: {
        tags,
        summary: 'Remove a whitelisted sender ID: messages can no longer be sent from it',
        params: OwnedSenderIdParams,
        response: consoleResponses({ 204: NoContent }, 404),
      },
    },
    async (request, reply) => {
      const mainAccountId = memberSessionOf(request).accountId;
      const everyOwner = await owners(mainAccountId);
      const lists = await Promise.all(everyOwner.map((owner) => senderIds.list(owner.ownerId)));
      const owner = everyOwner.find((_, index) =>
        (lists[index] ?? []).some((row) => row.id === request.params.senderIdId),
      );
      assertThat(
        owner,
        NotFound(ConsoleMessageErrors.senderIdNotFound, 'No such sender ID on this account.'),
      );
      await senderIds.remove(actorOf(request), mainAccountId, owner.ownerId, request.params.senderIdId);
      return reply.code(204).send();
    },
  );
}
