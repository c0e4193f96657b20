import type { Page } from 'playwright-core';
import { codeIn } from '../support/outbox.js';
import type { TestServer } from '../support/server.js';
import { nextMessageTo, seenMessages } from './outbox.js';

/** The sign-in page, with the console path to go to afterwards when there is one. */
const signInUrl = (server: TestServer, next?: string) =>
  `${server.url}/signin${next ? `?next=${encodeURIComponent(next)}` : ''}`;

/** The password step of sign-in through the page; stops where the second factor is asked. */
export async function signInWithPassword(
  page: Page,
  server: TestServer,
  email: string,
  password: string,
  next?: string,
) {
  await page.goto(signInUrl(server, next));
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText('Confirm it is you with your second factor').waitFor();
}

/** Signs in through the pages with a password and a code sent to the phone; lands on `next` (the console home by default). */
export async function signInWithPhoneCode(
  page: Page,
  server: TestServer,
  person: { email: string; password: string; phone: string },
  next?: string,
) {
  const seen = await seenMessages(server, person.phone);
  await signInWithPassword(page, server, person.email, person.password, next);
  await page.getByRole('button', { name: 'Send code', exact: true }).click();
  const code = codeIn((await nextMessageTo(server, person.phone, seen)).text);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify and sign in', exact: true }).click();
  await page.waitForURL(`${server.url}${next ?? '/'}`);
}

/** Opens a console page from the menu by its link name, and waits for its heading. */
export async function openFromMenu(page: Page, name: string, heading = name) {
  await page
    .getByRole('navigation', { name: 'Console menu' })
    .getByRole('link', { name, exact: true })
    .click();
  await page.getByRole('heading', { name: heading, exact: true }).waitFor();
}
