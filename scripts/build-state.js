// @ts-check
/**
 * Build once: `npm start` rebuilds the server (dist/) and the console (web/dist/) only when a source
 * changed since the last build. The build writes dist/.build-stamp, a fingerprint of its sources
 * (the newest modification time and the number of files); a start whose sources give another
 * fingerprint, or that finds no built server or console, builds first.
 *
 *   node scripts/build-state.js stamp        after a build: record the sources it was built from
 *   node scripts/build-state.js ensure       before a start: build when stale, else return at once
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** What the build reads: server and benchmark sources (with the test support bench/credit-control runs), the console, and the files that configure them. */
export const buildSources = [
  'src',
  'bench',
  'test/support/kamailio.ts',
  'test/support/sip-ua.ts',
  'web/src',
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'package.json',
  'package-lock.json',
];

/** What a start needs built. */
const builtOutputs = ['dist/src/cli/index.js', 'web/dist/index.html'];

const stampFile = 'dist/.build-stamp';

/**
 * @param {string} full
 * @param {{ newest: number, files: number }} into
 */
function visit(full, into) {
  const stat = statSync(full, { throwIfNoEntry: false });
  if (!stat) return;
  if (stat.isDirectory()) {
    for (const name of readdirSync(full)) visit(path.join(full, name), into);
    return;
  }
  into.newest = Math.max(into.newest, stat.mtimeMs);
  into.files += 1;
}

/**
 * The fingerprint of the build's sources under root: a changed, added or removed file changes it.
 * @param {string} root
 */
export function sourceFingerprint(root) {
  const found = { newest: 0, files: 0 };
  for (const source of buildSources) visit(path.join(root, source), found);
  return `${found.newest} ${found.files}`;
}

/**
 * Whether root needs a build before it can start: an output is missing, or the sources differ from
 * those the last build recorded.
 * @param {string} root
 */
export function buildIsStale(root) {
  if (builtOutputs.some((output) => !existsSync(path.join(root, output)))) return true;
  const stamp = path.join(root, stampFile);
  if (!existsSync(stamp)) return true;
  return readFileSync(stamp, 'utf8').trim() !== sourceFingerprint(root);
}

/**
 * Records the sources a build was made from; `fingerprint` is taken before the build started, so a
 * file edited while it ran makes the next start build again.
 * @param {string} root
 * @param {string} [fingerprint]
 */
export function writeBuildStamp(root, fingerprint = sourceFingerprint(root)) {
  writeFileSync(path.join(root, stampFile), `${fingerprint}\n`);
}

const root = path.resolve(import.meta.dirname, '..');
const command = process.argv[2];
if (import.meta.filename === path.resolve(process.argv[1] ?? '')) {
  if (command === 'stamp') {
    writeBuildStamp(root);
  } else if (command === 'ensure') {
    if (buildIsStale(root)) {
      const before = sourceFingerprint(root);
      console.log('Sources changed since the last build: building server and console…');
      execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
      writeBuildStamp(root, before);
    }
  } else {
    console.error('usage: node scripts/build-state.js stamp|ensure');
    process.exitCode = 2;
  }
}
