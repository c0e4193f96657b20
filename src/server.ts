import type { FastifyInstance } from 'fastify';
import { openControlChannel } from './cli/control-channel.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import { type System, type SystemOptions, startSystem } from './system.js';

export interface RunningServer {
  system: System;
  app: FastifyInstance;
  url: string;
  stop(): Promise<void>;
}

/** Starts everything: database and migrations, HTTP doors, the jobs runner and (embedded mode) the CLI channel. */
export async function startServer(
  config: Config,
  options: SystemOptions & { controlChannel?: boolean } = {},
): Promise<RunningServer> {
  const system = await startSystem(config, options);
  const app = await buildApp(system);
  const address = await app.listen({ port: config.port, host: config.host });
  await system.startMessaging();
  system.jobs.start();
  const closeChannel =
    !config.databaseUrl && options.controlChannel !== false ? await openControlChannel(system) : undefined;
  return {
    system,
    app,
    url: address.replace('://[::1]', '://localhost').replace('://127.0.0.1', '://localhost'),
    async stop() {
      await closeChannel?.();
      await app.close();
      await system.close();
    },
  };
}
