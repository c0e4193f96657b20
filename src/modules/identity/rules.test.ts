import { describe, expect, it } from 'vitest';
import { assertAcceptablePassword, PasswordPolicyErrors, passwordProblems } from './password-policy.js';
import { toE164 } from './phone.js';
import { DomainList, workEmailProblem } from './work-email.js';

describe('the work-email rule', () => {
  it('refuses a personal email domain such as gmail.com or yahoo.com', () => {
    expect(workEmailProblem('ada@gmail.com')?.problem).toBe('personal');
    expect(workEmailProblem('Ada@Yahoo.com')?.message).toMatch(/work email is required/);
  });
  it('refuses a disposable domain such as mailinator.com', () => {
    expect(workEmailProblem('x@mailinator.com')?.problem).toBe('disposable');
  });
  it('refuses something that is not an address', () => {
    expect(workEmailProblem('not-an-email')?.problem).toBe('invalid');
  });
  it('accepts a company address', () => {
    expect(workEmailProblem('ada@example-telecom.com')).toBeNull();
  });
  it('finds every domain of a list, first and last included, and nothing else, sorted or not', () => {
    const domains = ['b.com', 'a.io', 'zz.net', 'gmaıl.net', 'mail.b.com', 'a.io'];
    const list = new DomainList(domains);
    for (const domain of domains) expect(list.has(domain)).toBe(true);
    for (const other of ['', 'a', 'a.i', 'a.io.', 'c.com', 'zzz.net', 'b.co', 'gmail.net'])
      expect(list.has(other)).toBe(false);
    expect(new DomainList([]).has('a.io')).toBe(false);
  });
});

describe('the password policy', () => {
  it('refuses short passwords and says which classes are missing', async () => {
    expect(await passwordProblems('short')).toEqual(
      expect.arrayContaining(['Use at least 12 characters.', 'Add an upper-case letter.', 'Add a digit.']),
    );
  });
  it('refuses a common password even when it has every character class', async () => {
    const problems = await passwordProblems('Password123!');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/too easy to guess/);
  });
  it('refuses a password built from the user’s own email domain', async () => {
    expect(await passwordProblems('Acmetelecom2026!')).toEqual([]);
    expect(await passwordProblems('Acmetelecom2026!', ['acmetelecom'])).not.toEqual([]);
  });
  it('accepts a long, varied password', async () => {
    expect(await passwordProblems('Correct-Horse-Battery-9')).toEqual([]);
  });
  it('refuses a weak password as weak_password on the field, naming it in the message only where asked', async () => {
    await expect(
      assertAcceptablePassword('Password123!', [], { field: 'newPassword' }),
    ).rejects.toMatchObject({
      status: 400,
      code: PasswordPolicyErrors.weakPassword,
      message: expect.stringMatching(/^This password is too easy to guess/),
      fields: [{ field: 'newPassword', message: expect.stringMatching(/too easy to guess/) }],
    });
    await expect(assertAcceptablePassword('short', [], { fieldInMessage: true })).rejects.toMatchObject({
      message: expect.stringMatching(/^password: Use at least 12 characters\./),
      fields: [{ field: 'password' }],
    });
    await expect(assertAcceptablePassword('Correct-Horse-Battery-9', [])).resolves.toBeUndefined();
  });
});

describe('phone numbers', () => {
  it('accepts valid numbers and answers them in E.164', () => {
    expect(toE164('+1 415 555 2671')).toBe('+14155552671');
    expect(toE164('+44 20 7946 0958')).toBe('+442079460958');
  });
  it('refuses numbers that cannot exist', () => {
    expect(toE164('+1 000')).toBeNull();
    expect(toE164('12345')).toBeNull();
  });
});
