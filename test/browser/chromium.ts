import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/**
 * Whether browser journeys can run here. Without Chromium they are skipped with a printed reason,
 * except under CI=true, where a missing browser must fail the run instead of passing silently.
 */
export function browserJourneysSkipped(): boolean {
  if (existsSync(chromiumPath)) return false;
  if (process.env.CI === 'true') return false;
  console.warn(
    `Browser journeys skipped: Chromium is not installed at ${chromiumPath} (apt-get install -y chromium).`,
  );
  return true;
}

/** The server serves the built console from web/dist: build it once when it is missing. */
export function ensureConsoleBuilt() {
  const root = path.resolve(import.meta.dirname, '../..');
  if (existsSync(path.join(root, 'web/dist/index.html'))) return;
  execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', 'web', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
}

/** Debian's Chromium, headless, with a fresh user data directory that is removed on close. */
export async function openBrowser(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is missing at ${chromiumPath}: install it with apt-get install -y chromium.`);
  }
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'switchboard-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
