import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { assertThat, ValidationFailed } from '../../lib/errors.js';

/** The policy's error code, the same at every door that takes a password. */
export const PasswordPolicyErrors = { weakPassword: 'weak_password' } as const;

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

let strength: Promise<ZxcvbnFactory> | undefined;

/**
 * zxcvbn with its dictionaries, loaded on the first password checked: built, they hold about 24 MB
 * of heap that a server which checks no password would keep idle (docs/decisions.md, "Idle memory").
 */
function zxcvbn(): Promise<ZxcvbnFactory> {
  strength ??= Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]).then(
    ([{ ZxcvbnFactory }, common, english]) =>
      new ZxcvbnFactory({
        dictionary: { ...common.dictionary, ...english.dictionary },
        graphs: common.adjacencyGraphs,
        translations: english.translations,
      }),
  );
  return strength;
}

/**
 * The password policy: 12+ characters with upper, lower, digit and symbol, and not weak by
 * zxcvbn (score >= 3, which also refuses common passwords). Returns every reason it is refused.
 */
export async function passwordProblems(password: string, personalWords: string[] = []): Promise<string[]> {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (!/[A-Z]/.test(password)) problems.push('Add an upper-case letter.');
  if (!/[a-z]/.test(password)) problems.push('Add a lower-case letter.');
  if (!/[0-9]/.test(password)) problems.push('Add a digit.');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('Add a symbol such as ! # % or -.');
  if (problems.length > 0) return problems;
  const result = (await zxcvbn()).check(
    password,
    personalWords.filter((w) => w.length >= 3),
  );
  if (result.score < 3) {
    problems.push(
      `This password is too easy to guess. ${result.feedback.warning ?? ''} ${result.feedback.suggestions.join(' ')}`
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return problems;
}

/**
 * Refuses a password the policy does not accept (400 weak_password on the field, every reason in
 * the message). On the /v1 door only the message is shown, so there it names the field itself.
 */
export async function assertAcceptablePassword(
  password: string,
  personalWords: string[],
  options: { field?: string; fieldInMessage?: boolean } = {},
): Promise<void> {
  const field = options.field ?? 'password';
  const reasons = (await passwordProblems(password, personalWords)).join(' ');
  assertThat(reasons === '', () =>
    ValidationFailed(
      PasswordPolicyErrors.weakPassword,
      options.fieldInMessage ? `${field}: ${reasons}` : reasons,
      [{ field, message: reasons }],
    ),
  );
}
