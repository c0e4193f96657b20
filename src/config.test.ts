import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('runs with nothing set: embedded database, development mode, port 8080 on loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      environment: 'development',
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: undefined,
    });
    expect(config.publicUrl).toBe('http://localhost:8080');
    expect(config.reviewRules).toEqual(['website_domain_mismatch', 'denylisted', 'incomplete_profile']);
  });

  it('lists every bad value with a message saying what to fix', () => {
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'postgres://db/x',
        SMS_DRIVER: 'pigeon',
        REVIEW_RULES: 'gut_feeling',
      });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const { problems } = error as ConfigError;
      expect(problems).toEqual([
        'PORT=eighty must be a whole number from 0 to 65535',
        expect.stringContaining('SECRET_KEY is required when DATABASE_URL is set'),
        'SMS_DRIVER=pigeon must be one of: outbox, webhook, smpp',
        expect.stringContaining('REVIEW_RULES: unknown rule "gut_feeling"'),
      ]);
    }
  });

  it('requires an https PUBLIC_URL and an SMTP server in production', () => {
    expect(() => loadConfig({ SWITCHBOARD_ENV: 'production', PUBLIC_URL: 'http://example.com' })).toThrow(
      /https/,
    );
    expect(() => loadConfig({ SWITCHBOARD_ENV: 'production', PUBLIC_URL: 'https://example.com' })).toThrow(
      /SMTP_URL is required/,
    );
  });

  it('needs the gateway URL and secret for the webhook driver', () => {
    expect(() => loadConfig({ VOICE_DRIVER: 'webhook' })).toThrow(/OTP_WEBHOOK_URL and OTP_WEBHOOK_SECRET/);
  });

  it('accepts a list of trusted proxies and refuses nonsense', () => {
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('refuses a guessable metrics token', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'prometheus' })).toThrow(/METRICS_TOKEN must be at least 32/);
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(64) }).metricsToken).toBe('a'.repeat(64));
    expect(loadConfig({}).metricsToken).toBeUndefined();
  });

  it('prices new accounts in US dollars unless the operator names another ISO 4217 currency', () => {
    expect(loadConfig({}).currency).toBe('USD');
    expect(loadConfig({ CURRENCY: 'eur' }).currency).toBe('EUR');
    expect(() => loadConfig({ CURRENCY: 'dollars' })).toThrow(
      /CURRENCY=DOLLARS must be an ISO 4217 currency code/,
    );
  });

  it('turns review rules off with "none"', () => {
    expect(loadConfig({ REVIEW_RULES: 'none' }).reviewRules).toEqual([]);
  });

  it('reads the default balance alert thresholds (highest first) and refuses amounts it cannot use', () => {
    expect(loadConfig({}).balanceAlertThresholdsMicros).toEqual([250_000_000n, 100_000_000n, 10_000_000n]);
    expect(loadConfig({ BALANCE_ALERT_THRESHOLDS: '5, 50.5,5' }).balanceAlertThresholdsMicros).toEqual([
      50_500_000n,
      5_000_000n,
    ]);
    expect(loadConfig({ BALANCE_ALERT_THRESHOLDS: 'none' }).balanceAlertThresholdsMicros).toEqual([]);
    expect(loadConfig({}).callbackAllowPrivate).toBe(false);
    expect(loadConfig({ CALLBACK_ALLOW_PRIVATE: 'true' }).callbackAllowPrivate).toBe(true);
    expect(() => loadConfig({ BALANCE_ALERT_THRESHOLDS: '100,-5,0', CALLBACK_ALLOW_PRIVATE: 'yes' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ BALANCE_ALERT_THRESHOLDS: '100,-5,0', CALLBACK_ALLOW_PRIVATE: 'yes' });
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'BALANCE_ALERT_THRESHOLDS: "-5" must be an amount in USD above 0, such as 250,100,10 (or none)',
        'BALANCE_ALERT_THRESHOLDS: "0" must be an amount in USD above 0, such as 250,100,10 (or none)',
        'CALLBACK_ALLOW_PRIVATE=yes must be true or false',
      ]);
    }
  });
});
