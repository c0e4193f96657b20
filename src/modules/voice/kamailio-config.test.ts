import { describe, expect, it } from 'vitest';
import { checkKamailioConfig, kamailioSkipped } from '../../../test/support/kamailio.js';
import { KamailioConfigError, type KamailioConfigOptions, kamailioConfig } from './kamailio-config.js';

const options: KamailioConfigOptions = {
  switchboardUrl: 'http://127.0.0.1:8080',
  engineKey: 'sbe_0f0e0d0c0b0a09080706050403020100_abcDEF-_0123456789',
  sipDomain: 'sip.localhost',
  sipPort: 5060,
  rpcPort: 5065,
};

describe('kamailioConfig', () => {
  it('calls Switchboard at its URL with the engine key, and serves JSON-RPC on the loopback RPC port', () => {
    const config = kamailioConfig({ ...options, switchboardUrl: 'https://switchboard.example.com/' });
    expect(config).toContain(
      `http_client_query("https://switchboard.example.com$var(path)", "$var(body)", "Content-Type: application/json\\r\\nAuthorization: Bearer ${options.engineKey}", "$var(response)")`,
    );
    expect(config).toContain(
      'listen=udp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5060\nlisten=tcp:127.0.0.1:5065\n',
    );
    expect(config).toContain('auth_challenge("sip.localhost", "1")');
    expect(config).not.toContain('compare_ips');
    expect(config).not.toContain('$du =');
  });

  it('takes INVITEs from the carrier addresses without digest, and sends carrier calls through the carrier URI', () => {
    const config = kamailioConfig({
      ...options,
      sipAddress: '::1',
      carrierUri: 'sip:203.0.113.5:5060;transport=udp',
      carrierAddresses: ['203.0.113.5', '2001:db8::5'],
    });
    expect(config).toContain('listen=udp:[::1]:5060\n');
    expect(config).toContain('if (compare_ips("$si", "203.0.113.5")) {');
    expect(config).toContain('if (compare_ips("$si", "2001:db8::5")) {');
    expect(config).toContain('$du = "sip:203.0.113.5:5060;transport=udp";');
  });

  it.each([
    ['an engine key that would end its string', { engineKey: 'abc"def' }],
    ['an engine key Kamailio would expand', { engineKey: 'abc$var(x)' }],
    ['a URL Kamailio would expand', { switchboardUrl: 'http://127.0.0.1:8080/$var(x)' }],
    ['a URL that is not http', { switchboardUrl: 'ftp://127.0.0.1' }],
    ['a URL with a query', { switchboardUrl: 'http://127.0.0.1:8080/?a=b' }],
    ['a SIP domain that is no host name', { sipDomain: 'sip.localhost" x' }],
    ['a SIP address that is no IP address', { sipAddress: 'localhost' }],
    ['a carrier address that is no IP address', { carrierAddresses: ['carrier.example.com'] }],
    ['a carrier URI that is not SIP', { carrierUri: 'http://carrier.example.com' }],
    ['a carrier URI that would end its string', { carrierUri: 'sip:a"b@c' }],
    ['a port out of range', { sipPort: 70000 }],
    ['the same port for SIP and JSON-RPC', { rpcPort: 5060 }],
  ])('refuses %s', (_name, change) => {
    expect(() => kamailioConfig({ ...options, ...change })).toThrow(KamailioConfigError);
  });
});

describe.skipIf(kamailioSkipped('The Kamailio config check'))('the config, as Kamailio 5.6 reads it', () => {
  it.each([
    ['the defaults', options],
    [
      'a carrier and its addresses',
      {
        ...options,
        carrierUri: 'sip:203.0.113.5:5060',
        carrierAddresses: ['203.0.113.5', '2001:db8::5'],
      },
    ],
  ])('passes kamailio -c with %s', async (_name, config) => {
    const check = await checkKamailioConfig(kamailioConfig(config));
    expect(check.output).toContain('config file ok');
    expect(check.code).toBe(0);
  });
});
