import { describe, expect, it } from 'vitest';
import { safeNext } from './safe-next';

const ORIGIN = 'https://pipewright.example.com';

describe('safeNext', () => {
  it('keeps a page of this site with its query and fragment', () => {
    expect(safeNext('/pipelines/p1?tab=runs#last', ORIGIN)).toBe('/pipelines/p1?tab=runs#last');
    expect(safeNext(`${ORIGIN}/keys`, ORIGIN)).toBe('/keys');
    expect(safeNext('keys', ORIGIN)).toBe('/keys');
  });

  it('sends every other origin home', () => {
    for (const next of [
      '/\\evil.com',
      '\\\\evil.com',
      '//evil.com/path',
      '/\t/evil.com',
      'https://evil.com/',
      'http://pipewright.example.com/',
      'javascript:alert(1)',
      'data:text/html,hi',
    ]) {
      expect(safeNext(next, ORIGIN), next).toBe('/');
    }
  });

  it('sends an empty or missing next home', () => {
    expect(safeNext(undefined, ORIGIN)).toBe('/');
    expect(safeNext('', ORIGIN)).toBe('/');
  });
});
