import { describe, expect, it } from 'vitest';
import { nodeSpecs } from './specs';

describe('node registry', () => {
  it('keys every spec by its own stable type id', () => {
    for (const [key, spec] of Object.entries(nodeSpecs)) expect(spec.type).toBe(key);
  });

  it('has a form hint for every config field', () => {
    for (const spec of Object.values(nodeSpecs)) {
      for (const field of Object.keys(spec.config.shape)) expect(Object.keys(spec.ui)).toContain(field);
    }
  });
});
