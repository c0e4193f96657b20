import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

const strength = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...english.dictionary },
  graphs: common.adjacencyGraphs,
  translations: english.translations,
});

export const MIN_PASSWORD_LENGTH = 12;
const MAX_PASSWORD_LENGTH = 256;

/**
 * The password policy: 12+ characters with upper, lower, digit and symbol, and not weak by
 * zxcvbn (score >= 3, which also refuses common passwords). Returns every reason it is refused.
 */
export function passwordProblems(password: string, personalWords: string[] = []): string[] {
  const problems: string[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push(`Use at least ${MIN_PASSWORD_LENGTH} characters.`);
  if (password.length > MAX_PASSWORD_LENGTH) problems.push(`Use at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (!/[A-Z]/.test(password)) problems.push('Add an upper-case letter.');
  if (!/[a-z]/.test(password)) problems.push('Add a lower-case letter.');
  if (!/[0-9]/.test(password)) problems.push('Add a digit.');
  if (!/[^A-Za-z0-9]/.test(password)) problems.push('Add a symbol such as ! # % or -.');
  if (problems.length > 0) return problems;
  const result = strength.check(
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
