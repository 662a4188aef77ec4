import { describe, expect, it } from 'vitest';
import { maskEmail } from './email-hint';

describe('maskEmail', () => {
  it('keeps the first letter and the domain only', () => {
    expect(maskEmail('ada.lovelace@example.com')).toBe('a***@example.com');
    expect(maskEmail('a@example.com')).toBe('a***@example.com');
    expect(maskEmail('"odd@name"@example.com')).toBe('"***@example.com');
  });

  it('shows nothing of a value that is no address', () => {
    expect(maskEmail('nobody')).toBe('***');
    expect(maskEmail('@example.com')).toBe('***');
  });
});
