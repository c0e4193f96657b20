import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { constantTimeEqual, randomToken } from '../lib/secrets.js';
import type { System } from '../system.js';
import { type CommandName, runCommand } from './commands.js';

/**
 * While a server holds the embedded database, CLI commands are run by the server: the CLI talks to
 * it over a Unix socket in DATA_DIR (mode 0600) and proves itself with a token file only the
 * server's user can read.
 */
const socketPath = (dataDir: string) => path.join(dataDir, 'control.sock');
const tokenPath = (dataDir: string) => path.join(dataDir, 'control.token');

export async function openControlChannel(system: System): Promise<() => Promise<void>> {
  const dataDir = system.config.dataDir;
  const token = randomToken();
  writeFileSync(tokenPath(dataDir), token, { mode: 0o600 });
  rmSync(socketPath(dataDir), { force: true });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const auth = request.headers.authorization ?? '';
      if (!constantTimeEqual(auth, `Bearer ${token}`)) {
        response.writeHead(401).end(JSON.stringify({ error: 'not authorised' }));
        return;
      }
      try {
        const { name, args } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          name: CommandName;
          args: Record<string, string>;
        };
        const result = await runCommand(system, name, args);
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result }));
      } catch (error) {
        response
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: (error as Error).message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath(dataDir), resolve));
  chmodSync(socketPath(dataDir), 0o600);
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(socketPath(dataDir), { force: true });
    rmSync(tokenPath(dataDir), { force: true });
  };
}

/** Asks a running server to run a command; null when no server is listening. */
export async function askRunningServer(
  dataDir: string,
  name: CommandName,
  args: Record<string, unknown>,
): Promise<unknown | null> {
  if (!existsSync(socketPath(dataDir)) || !existsSync(tokenPath(dataDir))) return null;
  const token = readFileSync(tokenPath(dataDir), 'utf8');
  const body = JSON.stringify({ name, args });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        socketPath: socketPath(dataDir),
        path: '/command',
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
            result?: unknown;
            error?: string;
          };
          if (answer.error) reject(new Error(answer.error));
          else resolve(answer.result);
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' || error.code === 'ENOENT') resolve(null);
      else reject(error);
    });
    request.end(body);
  });
}
