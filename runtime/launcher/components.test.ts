import { describe, expect, it } from 'vitest';
import { probeHost } from './components';

describe('where the launcher probes the app', () => {
  it('uses HOST itself, or loopback when HOST means every interface', () => {
    expect(['127.0.0.1', '0.0.0.0', '::', '::1', '192.168.1.5', 'pipewright.local'].map(probeHost)).toEqual([
      '127.0.0.1',
      '127.0.0.1',
      '[::1]',
      '[::1]',
      '192.168.1.5',
      'pipewright.local',
    ]);
  });
});
