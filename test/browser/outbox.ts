import type { TestServer } from '../support/server.js';

interface OutboxMessage {
  id: string;
  subject: string | null;
  text: string;
  channel: string;
}

async function messagesTo(server: TestServer, to: string): Promise<OutboxMessage[]> {
  const response = await fetch(`${server.url}/dev/outbox?to=${encodeURIComponent(to)}`, {
    headers: { accept: 'application/json' },
  });
  return ((await response.json()) as { messages: OutboxMessage[] }).messages;
}

/** The ids of the messages already sent to an address, to tell a new message from old ones. */
export async function seenMessages(server: TestServer, to: string): Promise<Set<string>> {
  return new Set((await messagesTo(server, to)).map((message) => message.id));
}

/** Waits for a message to an address that is not among `seen` (the browser's request is in flight). */
export async function nextMessageTo(
  server: TestServer,
  to: string,
  seen: Set<string> = new Set(),
): Promise<OutboxMessage> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const fresh = (await messagesTo(server, to)).find((message) => !seen.has(message.id));
    if (fresh) return fresh;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no new message was sent to ${to}`);
}

/** The path and query of the console link in a message, to open on the test server. */
export function linkPathIn(text: string): string {
  const match = /https?:\/\/\S+\?token=[A-Za-z0-9_-]+/.exec(text);
  if (!match) throw new Error(`no link in: ${text}`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}
