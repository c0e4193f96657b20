import { existsSync, readFileSync } from 'node:fs';
import type { ReviewRule } from '../../config.js';
import { CidrList, parseCidr } from '../../lib/cidr-list.js';

export interface BusinessProfile {
  companyName: string;
  website: string;
  country: string;
  intendedUse: string;
}

/** The business details in the words staff read in the review queue. */
const profileFieldNames: Record<keyof BusinessProfile, string> = {
  companyName: 'company name',
  website: 'website',
  country: 'country',
  intendedUse: 'intended use',
};

/** What the operator's risk list holds: IP ranges and email/website domains. */
export interface RiskDenylist {
  addresses: CidrList;
  domains: Set<string>;
}

/** The risk list file: one entry a line, an IP address or CIDR range, or a domain; # starts a comment. */
export function loadRiskDenylist(file: string): RiskDenylist {
  const addresses: string[] = [];
  const domains = new Set<string>();
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  for (const line of text.split(/\r?\n/)) {
    const entry = line.replace(/#.*/, '').trim().toLowerCase();
    if (!entry) continue;
    try {
      parseCidr(entry);
      addresses.push(entry);
    } catch {
      domains.add(entry);
    }
  }
  return { addresses: CidrList.fromText(addresses.join('\n'), file), domains };
}

export type ReviewReasonClass = 'business_information' | 'risk_assessment' | 'incomplete_documentation';

export type ActivationDecision =
  | { outcome: 'activate' }
  | { outcome: 'hold'; reasonClass: ReviewReasonClass; reason: string };

export const reasonClassText: Record<ReviewReasonClass, string> = {
  business_information: 'Business information needs verification',
  risk_assessment: 'Risk assessment flags require manual review',
  incomplete_documentation: 'Documentation is incomplete',
};

export function hostOf(website: string): string | null {
  try {
    const url = new URL(/^https?:\/\//i.test(website) ? website : `https://${website}`);
    const host = url.hostname.toLowerCase().replace(/^www\./, '');
    return host.includes('.') ? host : null;
  } catch {
    return null;
  }
}

const sameOrganisation = (emailDomain: string, websiteHost: string) =>
  emailDomain === websiteHost ||
  emailDomain.endsWith(`.${websiteHost}`) ||
  websiteHost.endsWith(`.${emailDomain}`);

/**
 * The activation review: after verification an account is active at once unless a rule the
 * operator enabled holds it (REVIEW_RULES): an incomplete profile, a deny-listed IP or domain, or a
 * website whose domain differs from the email's.
 */
export function decideActivation(input: {
  profile: Partial<BusinessProfile>;
  emailDomain: string;
  signupIp: string;
  denylist: RiskDenylist;
  rules: ReviewRule[];
}): ActivationDecision {
  const { profile, rules } = input;
  if (rules.includes('incomplete_profile')) {
    const missing = (Object.keys(profileFieldNames) as (keyof BusinessProfile)[]).filter(
      (k) => !profile[k]?.trim(),
    );
    if (missing.length > 0) {
      return {
        outcome: 'hold',
        reasonClass: 'incomplete_documentation',
        reason: `Missing business details: ${missing.map((k) => profileFieldNames[k]).join(', ')}`,
      };
    }
  }
  const websiteHost = profile.website ? hostOf(profile.website) : null;
  if (rules.includes('denylisted')) {
    if (input.denylist.addresses.contains(input.signupIp)) {
      return {
        outcome: 'hold',
        reasonClass: 'risk_assessment',
        reason: 'Sign-up address is on the risk list',
      };
    }
    const listed = [input.emailDomain, websiteHost].find((d) => d && input.denylist.domains.has(d));
    if (listed)
      return {
        outcome: 'hold',
        reasonClass: 'risk_assessment',
        reason: `Domain ${listed} is on the risk list`,
      };
  }
  if (
    rules.includes('website_domain_mismatch') &&
    websiteHost &&
    !sameOrganisation(input.emailDomain, websiteHost)
  ) {
    return {
      outcome: 'hold',
      reasonClass: 'business_information',
      reason: `Website domain ${websiteHost} differs from email domain ${input.emailDomain}`,
    };
  }
  return { outcome: 'activate' };
}
