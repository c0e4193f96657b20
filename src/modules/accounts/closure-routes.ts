import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { consoleResponses } from '../../http/console-schemas.js';
import { clientOf, memberSessionOf, staffSessionOf } from '../../http/guard.js';
import { ValidationFailed } from '../../lib/errors.js';
import type { SignIn } from '../identity/sign-in.js';
import type { AccountClosure } from './closure.js';
import { AccountClosed, CloseAccount, ClosurePreview, StaffCloseAccount } from './closure-schemas.js';
import { AccountErrors } from './errors.js';
import { StaffAccountParams } from './suspension-schemas.js';

export interface ClosureRoutesDeps {
  closure: Pick<AccountClosure, 'preview' | 'close'>;
  signIn: Pick<SignIn, 'reauthenticateFully'>;
}

/** Account > Service Address > Close Account (the Owner), and staff closing an account. */
export function closureRoutes(parent: FastifyInstance, { closure, signIn }: ClosureRoutesDeps) {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/account/closure',
    {
      schema: {
        tags: ['Console: account'],
        summary: 'What closing the account would delete and refund (the Owner)',
        response: consoleResponses({ 200: ClosurePreview }),
      },
    },
    async (request) => closure.preview(memberSessionOf(request).accountId),
  );

  app.post(
    '/api/account/closure',
    {
      schema: {
        tags: ['Console: account'],
        summary:
          'Close the account (the Owner, with the password and a second factor): deletes applications, numbers, endpoints and logs, schedules the refund',
        body: CloseAccount,
        response: consoleResponses({ 200: AccountClosed }, 409, 429),
      },
    },
    async (request) => {
      const session = memberSessionOf(request);
      const client = clientOf(request);
      await signIn.reauthenticateFully(session, request.body, client);
      return closure.close(
        { ...client, userId: session.userId },
        session.accountId,
        'owner',
        'Closed by its Owner',
      );
    },
  );

  app.post(
    '/api/staff/accounts/:accountId/close',
    {
      schema: {
        tags: ['Staff console'],
        summary: 'Close an account (active or suspended), with a note',
        params: StaffAccountParams,
        body: StaffCloseAccount,
        response: consoleResponses({ 200: AccountClosed }, 404, 409),
      },
    },
    async (request) => {
      const note = request.body.note.trim();
      if (!note)
        throw ValidationFailed(AccountErrors.noteRequired, 'Write a note: why the account is closed.', [
          { field: 'note', message: 'required' },
        ]);
      return closure.close(
        { ...clientOf(request), staffId: staffSessionOf(request).staffId },
        request.params.accountId,
        'staff',
        note,
      );
    },
  );
}
