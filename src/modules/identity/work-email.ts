import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const freeMailDomains = new Set<string>(require('email-providers/all.json') as string[]);
const disposableDomains = new Set<string>(require('disposable-email-domains') as string[]);

const EMAIL = /^[^\s@]+@([^\s@]+\.[^\s@]+)$/;

export type EmailProblem = 'invalid' | 'personal' | 'disposable';

/** Normalises an address for storage and comparison: trimmed, lower-case. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The work-email rule: a valid address whose domain is neither a free-mail nor a disposable provider. */
export function workEmailProblem(email: string): { problem: EmailProblem; message: string } | null {
  const match = EMAIL.exec(normaliseEmail(email));
  if (!match || email.length > 254)
    return { problem: 'invalid', message: 'Enter a valid email address, such as name@company.com.' };
  const domain = match[1] as string;
  const parts = domain.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    if (disposableDomains.has(parts.slice(i).join('.'))) {
      return {
        problem: 'disposable',
        message: `A work email is required: disposable email domains such as ${domain} are not accepted.`,
      };
    }
  }
  if (freeMailDomains.has(domain)) {
    return {
      problem: 'personal',
      message: `A work email is required: personal email domains such as ${domain} are not accepted. Use your company address.`,
    };
  }
  return null;
}

export function emailDomain(email: string): string {
  return normaliseEmail(email).split('@')[1] ?? '';
}
