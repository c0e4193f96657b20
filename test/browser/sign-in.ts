import type { Page } from 'playwright-core';
import { codeIn } from '../support/outbox.js';
import type { TestServer } from '../support/server.js';
import { nextMessageTo, seenMessages } from './outbox.js';

/** The password step of sign-in through the page; stops where the second factor is asked. */
export async function signInWithPassword(page: Page, server: TestServer, email: string, password: string) {
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('Work email').fill(email);
  await page.getByRole('textbox', { name: 'Password', exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByText('Confirm it is you with your second factor').waitFor();
}

/** Signs in through the pages with a password and a code sent to the phone; lands on the console home. */
export async function signInWithPhoneCode(
  page: Page,
  server: TestServer,
  person: { email: string; password: string; phone: string },
) {
  const seen = await seenMessages(server, person.phone);
  await signInWithPassword(page, server, person.email, person.password);
  await page.getByRole('button', { name: 'Send code', exact: true }).click();
  const code = codeIn((await nextMessageTo(server, person.phone, seen)).text);
  await page.getByRole('textbox', { name: 'Code', exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify and sign in', exact: true }).click();
  await page.waitForURL(`${server.url}/`);
}
