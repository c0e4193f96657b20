import type { AttachmentUpload, CustomerTicket } from '@server/modules/support/schemas';
import { ApiError } from '../../api';

export type {
  AgentList,
  CustomerTicket,
  CustomerTicketList,
  StaffTicket,
  StaffTicketQueue,
  TicketAccess,
  TicketCreated,
} from '@server/modules/support/schemas';

export const categories = ['billing', 'technical', 'account', 'compliance', 'other'] as const;
export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const statuses = ['open', 'waiting_on_customer', 'waiting_on_support', 'solved', 'closed'] as const;

export const statusLabels: Record<string, string> = {
  open: 'Open',
  waiting_on_customer: 'Waiting on customer',
  waiting_on_support: 'Waiting on support',
  solved: 'Solved',
  closed: 'Closed',
};

export const label = (value: string) => value.charAt(0).toUpperCase() + value.slice(1);

/** What the file picker offers; the server decides by the content. */
export const acceptedFiles = '.pdf,.png,.jpg,.jpeg,.gif,.webp,.txt,.log,.csv';

/** Files read as base64, as the API takes them. */
export async function uploadsOf(files: File[]): Promise<AttachmentUpload[]> {
  return Promise.all(
    files.map(async (file) => {
      const bytes = new Uint8Array(await file.arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return { fileName: file.name, content: btoa(binary) };
    }),
  );
}

/** Calls the /api/support/access/… routes with the access key an opened link answered. */
export async function withAccessKey<T>(
  accessKey: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(path, {
    method,
    headers: {
      accept: 'application/json',
      'x-ticket-access': accessKey,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(
      response.status,
      problem.code ?? 'error',
      problem.detail ?? `The request failed (${response.status}).`,
    );
  }
  return (await response.json()) as T;
}

/** Saves a file the browser fetched (with whatever headers it needed) under its name. */
export async function saveDownload(response: Response, fileName: string) {
  if (!response.ok)
    throw new ApiError(response.status, 'download_failed', 'The file could not be downloaded.');
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export type Ticket = CustomerTicket;
