import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  addressAllowed,
  DestinationRefused,
  destinationProblem,
  postJson,
  urlShapeProblem,
} from './outbound.js';

const production = { allowLoopback: false, allowPrivate: false };
const development = { allowLoopback: true, allowPrivate: false };

describe('where customers’ webhooks may go (SSRF)', () => {
  it('allows public unicast addresses only, loopback in development, everything when the operator says so', () => {
    for (const address of ['93.184.216.34', '2606:4700::1111'])
      expect(addressAllowed(address, production), address).toBe(true);
    for (const address of [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254', // cloud metadata
      '100.64.0.1',
      '0.0.0.0',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1', // IPv4-mapped loopback
      '::ffff:10.0.0.1',
      'not an address',
    ])
      expect(addressAllowed(address, production), address).toBe(false);
    expect(addressAllowed('127.0.0.1', development)).toBe(true);
    expect(addressAllowed('::ffff:127.0.0.1', development)).toBe(true);
    expect(addressAllowed('10.1.2.3', development)).toBe(false);
    expect(addressAllowed('10.1.2.3', { allowLoopback: true, allowPrivate: true })).toBe(true);
  });

  it('refuses URLs that are not http(s), carry credentials or name no host', () => {
    expect(urlShapeProblem('https://hooks.example.com/balance')).toBeNull();
    expect(urlShapeProblem('ftp://example.com/')).toContain('https://');
    expect(urlShapeProblem('file:///etc/passwd')).toContain('https://');
    expect(urlShapeProblem('https://user:pass@example.com/')).toContain('user name or password');
    expect(urlShapeProblem('example.com/hook')).toContain('full address');
  });

  it('refuses a host that is or resolves to a refused address, when saved and when connecting', async () => {
    expect(await destinationProblem('http://127.0.0.1:9/x', production)).toContain('loopback');
    expect(await destinationProblem('http://[::1]:9/x', production)).toContain('loopback');
    expect(await destinationProblem('http://localhost:9/x', production)).toContain('loopback');
    expect(await destinationProblem('http://127.0.0.1:9/x', development)).toBeNull();

    let reached = 0;
    const receiver = createServer((_request, response) => {
      reached++;
      response.end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const port = (receiver.address() as AddressInfo).port;
    try {
      // A name saved while it resolved elsewhere is checked again on the address it resolves to now.
      await expect(postJson(`http://localhost:${port}/x`, '{}', {}, production)).rejects.toBeInstanceOf(
        DestinationRefused,
      );
      await expect(postJson(`http://127.0.0.1:${port}/x`, '{}', {}, production)).rejects.toBeInstanceOf(
        DestinationRefused,
      );
      expect(reached).toBe(0);
      expect(await postJson(`http://127.0.0.1:${port}/x`, '{}', {}, development)).toBe(200);
      expect(reached).toBe(1);
    } finally {
      await new Promise((resolve) => receiver.close(resolve));
    }
  });
});
