import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * A list of domains kept as one sorted string and searched by bisection. The disposable-domain
 * list has about 120,000 entries: as a Set of strings (and the array require caches) they held
 * about 7 MB of an idle server's heap, as one string about 2.5 MB (docs/decisions.md, "Idle memory
 * of the embedded default"). A check runs at sign-up and invitations, where 17 comparisons are nothing.
 */
export class DomainList {
  readonly #text: string;
  /** Where each domain starts in #text; one more entry marks the end. */
  readonly #starts: Uint32Array;
  /** Domains with a character beyond Latin-1: in #text, two of them would double its size. */
  readonly #wide: Set<string>;

  constructor(domains: string[]) {
    const wide = (domain: string) => /[\u0100-\uffff]/.test(domain);
    this.#wide = new Set(domains.filter(wide));
    const narrow = domains.filter((domain) => !wide(domain));
    const sorted = narrow.every((domain, i) => i === 0 || (narrow[i - 1] as string) < domain)
      ? narrow
      : [...new Set(narrow)].sort();
    this.#text = sorted.join('\n');
    this.#starts = new Uint32Array(sorted.length + 1);
    let at = 0;
    sorted.forEach((domain, i) => {
      this.#starts[i] = at;
      at += domain.length + 1;
    });
    this.#starts[sorted.length] = at;
  }

  has(domain: string): boolean {
    if (this.#wide.has(domain)) return true;
    let low = 0;
    let high = this.#starts.length - 2;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const entry = this.#text.slice(this.#starts[middle], (this.#starts[middle + 1] as number) - 1);
      if (entry === domain) return true;
      if (entry < domain) low = middle + 1;
      else high = middle - 1;
    }
    return false;
  }
}

/** A package's JSON list, read without keeping the array in require's cache. */
const domainsOf = (file: string) => JSON.parse(readFileSync(require.resolve(file), 'utf8')) as string[];
const freeMailDomains = new Set<string>(domainsOf('email-providers/all.json'));
const disposableDomains = new DomainList(domainsOf('disposable-email-domains'));

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
