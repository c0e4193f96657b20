import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { once } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type KamailioConfigOptions, kamailioConfig } from '../../src/modules/voice/kamailio-config.js';

/** Where Kamailio is: on the PATH, or Debian's /usr/sbin (not on a non-root user's PATH). */
export function kamailioBinary(): string | undefined {
  const directories = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/local/sbin'];
  return directories.map((directory) => path.join(directory, 'kamailio')).find((file) => existsSync(file));
}

/**
 * Whether tests with a real Kamailio cannot run here. Without Kamailio they are skipped with a
 * printed reason, except under CI=true, where they run and fail instead of passing silently.
 */
export function kamailioSkipped(suite: string): boolean {
  if (kamailioBinary()) return false;
  if (process.env.CI === 'true') return false;
  console.warn(
    `${suite} skipped: Kamailio is not installed (apt-get install -y kamailio kamailio-utils-modules kamailio-json-modules).`,
  );
  return true;
}

function requireKamailio(): string {
  const binary = kamailioBinary();
  if (!binary)
    throw new Error(
      'Kamailio is missing: install it with apt-get install -y kamailio kamailio-utils-modules kamailio-json-modules.',
    );
  return binary;
}

/** A port free on loopback for both UDP and TCP (SIP listens on both). */
async function freeSipPort(): Promise<number> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const { port } = udp.address();
    const tcp = createServer();
    const free = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      tcp.close();
      await once(tcp, 'close');
    }
    udp.close();
    if (free) return port;
  }
}

async function freeTcpPort(): Promise<number> {
  const probe = createServer();
  probe.listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  probe.close();
  await once(probe, 'close');
  return port;
}

/** Runs `kamailio -c` on a config: its exit code and what it printed. */
export async function checkKamailioConfig(config: string): Promise<{ code: number | null; output: string }> {
  const directory = mkdtempSync(path.join(tmpdir(), 'switchboard-kamailio-check-'));
  try {
    const file = path.join(directory, 'kamailio.cfg');
    writeFileSync(file, config);
    const child = spawn(requireKamailio(), ['-c', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, output };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export type RunningKamailio = {
  /** Where SIP goes (UDP and TCP). */
  sip: { host: string; port: number };
  rpcPort: number;
  config: string;
  /** What Kamailio logged so far (stderr). */
  log: () => string;
  /** A JSON-RPC call over HTTP (as Switchboard makes it): its `result`, or throws with its `error`. */
  rpc: (method: string, params?: unknown[]) => Promise<unknown>;
  stop: () => Promise<void>;
};

/**
 * Kamailio in the foreground with the config `switchboard kamailio config` prints, on free loopback
 * ports, its working and runtime directories in a temporary directory (nothing under /run or /var);
 * resolves once its JSON-RPC answers `core.version`.
 */
export async function startKamailio(
  options: Omit<KamailioConfigOptions, 'sipPort' | 'rpcPort' | 'sipAddress'>,
): Promise<RunningKamailio> {
  const binary = requireKamailio();
  const sipPort = await freeSipPort();
  const rpcPort = await freeTcpPort();
  const config = kamailioConfig({ ...options, sipAddress: '127.0.0.1', sipPort, rpcPort });
  const directory = mkdtempSync(path.join(tmpdir(), 'switchboard-kamailio-'));
  const runtime = path.join(directory, 'run');
  mkdirSync(runtime);
  const file = path.join(directory, 'kamailio.cfg');
  writeFileSync(file, config);

  const child: ChildProcess = spawn(binary, ['-DD', '-E', '-f', file, '-w', directory, '-Y', runtime], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log += chunk.toString();
  });
  const exited = once(child, 'exit');

  const rpc = async (method: string, params: unknown[] = []) => {
    const response = await fetch(`http://127.0.0.1:${rpcPort}/RPC`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method, params, id: 1 }),
    });
    const answer = (await response.json()) as { result?: unknown; error?: { code: number; message: string } };
    if (answer.error) throw new Error(`${method}: ${answer.error.code} ${answer.error.message}`);
    return answer.result;
  };

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(directory, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`Kamailio exited (${child.exitCode ?? child.signalCode}) before it served:\n${log}`);
    }
    try {
      await rpc('core.version');
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`Kamailio did not answer JSON-RPC on port ${rpcPort} within 15 s:\n${log}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { sip: { host: '127.0.0.1', port: sipPort }, rpcPort, config, log: () => log, rpc, stop };
}
