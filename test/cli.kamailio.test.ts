import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { kamailioConfig } from '../src/modules/voice/kamailio-config.js';
import { compiledCli, compiledCliBuilt } from './support/server-process.js';

/** `switchboard kamailio config` as an operator runs it: the compiled CLI in its own process, no database. */
const built = compiledCliBuilt('cli.kamailio');

const settings = {
  PUBLIC_URL: 'https://switchboard.example.com',
  SIP_DOMAIN: 'sip.example.com',
  LOG_LEVEL: 'warn',
};

function cli(args: string[]) {
  return promisify(execFile)(process.execPath, [compiledCli, 'kamailio', 'config', ...args], {
    env: { ...process.env, ...settings },
  });
}

describe.runIf(built)('switchboard kamailio config', () => {
  it("prints the config the tests run Kamailio with, for this Switchboard's URL and SIP domain", async () => {
    const { stdout, stderr } = await cli([
      '--engine-key',
      'sbe_0123_secret',
      '--sip-port',
      '5070',
      '--rpc-port',
      '5071',
      '--carrier',
      'sip:203.0.113.5:5060',
      '--carrier-address',
      '203.0.113.5',
      '--carrier-address',
      '203.0.113.6',
    ]);
    expect(stdout).toBe(
      kamailioConfig({
        switchboardUrl: 'https://switchboard.example.com',
        engineKey: 'sbe_0123_secret',
        sipDomain: 'sip.example.com',
        sipAddress: '127.0.0.1',
        sipPort: 5070,
        rpcPort: 5071,
        carrierUri: 'sip:203.0.113.5:5060',
        carrierAddresses: ['203.0.113.5', '203.0.113.6'],
      }),
    );
    expect(stderr).toBe('');
  });

  it('without --engine-key, prints a placeholder for it and says so on stderr', async () => {
    const { stdout, stderr } = await cli(['--switchboard-url', 'http://10.0.0.2:8080']);
    expect(stdout).toBe(
      kamailioConfig({
        switchboardUrl: 'http://10.0.0.2:8080',
        engineKey: 'REPLACE-WITH-THE-ENGINE-KEY',
        sipDomain: 'sip.example.com',
        sipPort: 5060,
        rpcPort: 5065,
      }),
    );
    expect(stderr).toContain('No --engine-key: replace REPLACE-WITH-THE-ENGINE-KEY');
  });

  it('refuses what would not make a safe config, and prints nothing', async () => {
    const refused = await cli(['--engine-key', 'k', '--carrier-address', 'carrier.example.com']).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stdout).toBe('');
    expect(refused?.stderr).toBe(
      'switchboard: carrier address "carrier.example.com" must be an IP address.\n',
    );
  });
});
