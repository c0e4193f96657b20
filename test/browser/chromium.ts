import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

const root = path.resolve(import.meta.dirname, '../..');

/** The newest modification time of the console's sources. */
function newestSource(dir = path.join(root, 'web/src')): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function consoleBuildIsStale(): boolean {
  const built = path.join(root, 'web/dist/index.html');
  if (!existsSync(built)) return true;
  const sources = [
    newestSource(),
    ...['web/index.html', 'web/vite.config.ts'].map((f) => statSync(path.join(root, f)).mtimeMs),
  ];
  return Math.max(...sources) > statSync(built).mtimeMs;
}

/** Journey files run in parallel processes: one builds while the others wait on a lock directory. */
function withBuildLock(build: () => void) {
  const lock = path.join(
    tmpdir(),
    `switchboard-console-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`,
  );
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const heldSince = statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
      // A lock older than any build is left by a killed run.
      if (heldSince !== undefined && Date.now() - heldSince > 300_000)
        rmSync(lock, { recursive: true, force: true });
      Atomics.wait(pause, 0, 0, 200);
    }
  }
  try {
    build();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The server serves the built console from web/dist: build it when it is missing or older than its sources. */
export function ensureConsoleBuilt() {
  if (!consoleBuildIsStale()) return;
  withBuildLock(() => {
    if (!consoleBuildIsStale()) return;
    execFileSync(path.join(root, 'node_modules/.bin/vite'), ['build', 'web', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  });
}

/**
 * Debian's Chromium, headless, with a fresh user data directory that is removed on close.
 * `trustTestCa` accepts the certificates of this run's test identity providers (a CA made per run).
 */
export async function openBrowser(
  options: { trustTestCa?: boolean } = {},
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
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
    viewport: { width: 1366, height: 800 },
    ignoreHTTPSErrors: options.trustTestCa ?? false,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
