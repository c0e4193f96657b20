import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from '../support/server.js';
import { ensureConsoleBuilt, openBrowser } from './chromium.js';
import { signInWithPhoneCode } from './sign-in.js';

type Browser = Awaited<ReturnType<typeof openBrowser>>;

/** What a journey file works with: its server, and pages in its browsers. */
export interface BrowserJourney {
  /** The file's test server, started before its first journey. */
  readonly server: TestServer;
  /** A new page in the first browser after forgetting its cookies: like another person's browser. */
  freshPage(): Promise<Page>;
  /** A new page in browser `index` that keeps its cookies (who is signed in there stays signed in). */
  newPage(index?: number): Promise<Page>;
  /** Forgets browser `index`'s cookies: whoever was signed in there no longer is. */
  clearCookies(index?: number): Promise<void>;
  /** A fresh page signed in as `person` with password and phone code, on `next` (the console home by default). */
  signedInPage(person: { email: string; password: string; phone: string }, next?: string): Promise<Page>;
}

/**
 * The set-up every browser-journey file shares, called inside its describe: the console built, a test
 * server (`startTestServer()` unless `start` makes another), `browsers` Chromium instances with cookies
 * of their own (one by default), and all of it closed after the file. Pages wait 15 s at most.
 */
export function browserJourney(
  options: { start?: () => Promise<TestServer>; browsers?: number; trustTestCa?: boolean } = {},
): BrowserJourney {
  let server: TestServer | undefined;
  const browsers: Browser[] = [];
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await (options.start ?? (() => startTestServer()))();
    for (let index = 0; index < (options.browsers ?? 1); index += 1) {
      browsers.push(await openBrowser({ trustTestCa: options.trustTestCa ?? false }));
    }
  });
  afterAll(async () => {
    for (const browser of browsers.reverse()) await browser.close();
    await server?.stop();
  });

  const browser = (index: number) => {
    const opened = browsers[index];
    if (!opened) throw new Error(`browser ${index} is not open: pass browsers: ${index + 1}`);
    return opened;
  };
  const journey: BrowserJourney = {
    get server() {
      if (!server) throw new Error('the test server starts in beforeAll: use it inside a journey');
      return server;
    },
    async newPage(index = 0) {
      const page = await browser(index).context.newPage();
      page.setDefaultTimeout(15_000);
      return page;
    },
    clearCookies: (index = 0) => browser(index).context.clearCookies(),
    async freshPage() {
      await journey.clearCookies();
      return journey.newPage();
    },
    async signedInPage(person, next) {
      const page = await journey.freshPage();
      await signInWithPhoneCode(page, journey.server, person, next);
      return page;
    },
  };
  return journey;
}
