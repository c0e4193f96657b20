import { describe, expect, it } from 'vitest';
import { plainMessage } from './errors.js';

describe('validation messages people read', () => {
  it('says what to fix in plain words', () => {
    expect(plainMessage({ keyword: 'minLength', params: { limit: 3 } })).toBe(
      'must have at least 3 characters',
    );
    expect(plainMessage({ keyword: 'minLength', params: { limit: 1 } })).toBe('must not be empty');
    expect(plainMessage({ keyword: 'required', params: { missingProperty: 'name' } })).toBe('is required');
    expect(plainMessage({ keyword: 'anyOf', params: {} })).toBe('is not one of the allowed values');
    expect(plainMessage({ keyword: 'somethingNew', message: 'raw', params: {} })).toBe('raw');
  });
});
