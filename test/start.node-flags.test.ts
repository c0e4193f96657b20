import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serverNodeFlags } from '../src/cli/node-flags.js';

const root = path.resolve(import.meta.dirname, '..');

/**
 * The server's Node flags are given on Node's command line in two places a user starts it from;
 * a flag missing from one would leave that start with the larger idle memory.
 */
describe("the server's Node flags", () => {
  it("are on bin/switchboard.js's first line and in `npm start`", () => {
    const shebang = readFileSync(path.join(root, 'bin/switchboard.js'), 'utf8').split('\n')[0];
    expect(shebang).toBe(`#!/usr/bin/env -S node ${serverNodeFlags.join(' ')}`);
    const scripts = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).scripts;
    expect(scripts.start).toContain(`node ${serverNodeFlags.join(' ')} bin/switchboard.js serve`);
  });

  it('start the command line when bin/switchboard.js is run as a program', () => {
    const help = execFileSync(path.join(root, 'bin/switchboard.js'), ['--help'], { encoding: 'utf8' });
    expect(help).toContain('serve');
  });

  it('keep the young generation at 2 MB', () => {
    const script =
      "const v8 = require('node:v8'); let keep = [];" +
      'for (let i = 0; i < 1e6; i++) { keep.push({ i }); if (keep.length > 50000) keep = []; }' +
      "console.log(v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size)";
    const size = (flags: string[]) =>
      Number(execFileSync(process.execPath, [...flags, '-e', script], { encoding: 'utf8' }).trim());
    expect(size(serverNodeFlags)).toBeLessThanOrEqual(2 * 1024 * 1024);
    expect(size([])).toBeGreaterThan(2 * 1024 * 1024);
  });
});
