import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildIsStale, writeBuildStamp } from '../scripts/build-state.js';

/**
 * `npm start` builds only when the sources changed since the last build. A start that skipped a
 * needed build would serve yesterday's server or console; these checks use a project of their own.
 */
describe('npm start rebuilds exactly when the build is stale', () => {
  let root: string;
  const file = (relative: string, text = 'x') => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    writeFileSync(path.join(root, relative), text);
  };
  const age = (relative: string, secondsAgo: number) => {
    const when = new Date(Date.now() - secondsAgo * 1000);
    utimesSync(path.join(root, relative), when, when);
  };

  const sources = ['src/server.ts', 'web/src/main.tsx', 'package.json'];
  /** A build made a minute after its sources were last edited. */
  const built = () => {
    for (const source of sources) age(source, 60);
    writeBuildStamp(root);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'switchboard-build-state-'));
    for (const source of sources) file(source);
    file('dist/src/cli/index.js');
    file('web/dist/index.html');
    built();
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('starts at once when nothing changed since the build', () => {
    expect(buildIsStale(root)).toBe(false);
  });

  it('builds when a server source, a console source or a config file was edited', () => {
    for (const edited of sources) {
      built();
      file(edited, 'changed');
      expect(buildIsStale(root), edited).toBe(true);
    }
  });

  it('builds when a source was added or removed, even one older than the build', () => {
    file('src/older.ts');
    age('src/older.ts', 3600);
    expect(buildIsStale(root)).toBe(true);
    built();
    rmSync(path.join(root, 'src/older.ts'));
    expect(buildIsStale(root)).toBe(true);
  });

  it('builds when the built server or console is missing, or no build was recorded', () => {
    rmSync(path.join(root, 'web/dist'), { recursive: true });
    expect(buildIsStale(root)).toBe(true);
    file('web/dist/index.html');
    rmSync(path.join(root, 'dist/.build-stamp'));
    expect(buildIsStale(root)).toBe(true);
  });
});
