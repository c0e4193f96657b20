import { Alert, Loader } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { formError } from '../api';
import { AuthLayout } from '../components/AuthLayout';
import { TicketConversation } from '../components/support/TicketConversation';
import { saveDownload, type Ticket, type TicketAccess, withAccessKey } from '../components/support/tickets';

/** /support/ticket?token=…: the ticket a "Check Ticket Status" email links to; the link works once. */
export function SupportTicketLinkPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [access, setAccess] = useState<{ key: string; ticket: Ticket } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const opened = useRef(false);
  useEffect(() => {
    // The link is single use: open it once, however often React runs effects.
    if (opened.current) return;
    opened.current = true;
    fetch('/api/support/access', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ token }),
    })
      .then(async (response) => {
        const body = await response.json();
        if (!response.ok) throw new Error(body.detail ?? 'This link cannot be opened.');
        const answer = body as TicketAccess;
        setAccess({ key: answer.accessKey, ticket: answer.ticket });
      })
      .catch(setError);
  }, [token]);
  const key = access?.key ?? '';
  return (
    <AuthLayout title="Your support ticket" width={720}>
      {error ? <Alert color="red">{formError(error)}</Alert> : null}
      {!access && !error && <Loader size="sm" />}
      {access && (
        <TicketConversation
          ticket={access.ticket}
          reply={async (body, attachments) =>
            setAccess({
              key,
              ticket: await withAccessKey<Ticket>(key, 'POST', '/api/support/access/replies', {
                body,
                attachments,
              }),
            })
          }
          reopen={async () =>
            setAccess({ key, ticket: await withAccessKey<Ticket>(key, 'POST', '/api/support/access/reopen') })
          }
          download={async (id, fileName) =>
            saveDownload(
              await fetch(`/api/support/access/attachments/${id}`, { headers: { 'x-ticket-access': key } }),
              fileName,
            )
          }
        />
      )}
    </AuthLayout>
  );
}
