import type { TestServer } from './server.js';

/** The newest message sent to an address, read from the development outbox over HTTP as a person would. */
export async function lastMessageTo(server: TestServer, to: string) {
  const response = await fetch(`${server.url}/dev/outbox?to=${encodeURIComponent(to)}`, {
    headers: { accept: 'application/json' },
  });
  const { messages } = (await response.json()) as {
    messages: { subject: string; text: string; channel: string }[];
  };
  const message = messages[0];
  if (!message) throw new Error(`no message was sent to ${to}`);
  return message;
}

export async function messagesTo(server: TestServer, to: string) {
  const response = await fetch(`${server.url}/dev/outbox?to=${encodeURIComponent(to)}`, {
    headers: { accept: 'application/json' },
  });
  return ((await response.json()) as { messages: { subject: string; text: string; channel: string }[] })
    .messages;
}

export const linkIn = (text: string) => {
  const match = /https?:\/\/\S+token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match?.[1]) throw new Error(`no link in: ${text}`);
  return match[1];
};

export const codeIn = (text: string) => {
  const match = /\b(\d{6})\b/.exec(text);
  if (!match?.[1]) throw new Error(`no code in: ${text}`);
  return match[1];
};
