import { describe, expect, it } from 'vitest';
import { reviewRuleNames } from '../../config.js';
import { CidrList } from '../../lib/cidr-list.js';
import { decideActivation } from './activation.js';

const complete = {
  companyName: 'Acme Telecom',
  website: 'https://www.acme-telecom.com',
  country: 'US',
  intendedUse: 'OTP SMS',
};
const denylist = {
  addresses: CidrList.fromText('203.0.113.0/24', 'test'),
  domains: new Set(['shady.example']),
};
const base = {
  profile: complete,
  emailDomain: 'acme-telecom.com',
  signupIp: '198.51.100.7',
  denylist,
  rules: [...reviewRuleNames],
};

describe('activation review', () => {
  it('activates at once when no rule holds the account', () => {
    expect(decideActivation(base)).toEqual({ outcome: 'activate' });
  });
  it('holds an account whose business details are missing', () => {
    const decision = decideActivation({ ...base, profile: { ...complete, website: '', intendedUse: ' ' } });
    expect(decision).toEqual({
      outcome: 'hold',
      reasonClass: 'incomplete_documentation',
      reason: 'Missing business details: website, intended use',
    });
  });
  it('holds an account whose website domain differs from its email domain', () => {
    const decision = decideActivation({ ...base, profile: { ...complete, website: 'other.example' } });
    expect(decision).toMatchObject({ outcome: 'hold', reasonClass: 'business_information' });
  });
  it('holds sign-ups from deny-listed addresses and domains', () => {
    expect(decideActivation({ ...base, signupIp: '203.0.113.9' })).toMatchObject({
      reasonClass: 'risk_assessment',
    });
    expect(
      decideActivation({
        ...base,
        emailDomain: 'shady.example',
        profile: { ...complete, website: 'shady.example' },
      }),
    ).toMatchObject({
      reasonClass: 'risk_assessment',
    });
  });
  it('follows only the rules the operator enabled', () => {
    expect(
      decideActivation({
        ...base,
        profile: { ...complete, website: 'other.example' },
        rules: ['incomplete_profile'],
      }),
    ).toEqual({
      outcome: 'activate',
    });
  });
});
