import { afterEach, describe, expect, it, vi } from 'vitest';

// When the OS cannot name the user (no passwd entry: a container running as an arbitrary uid), approvals record $USER,
// or "unknown".
vi.mock('node:os', async (importOriginal) => ({
  ...await importOriginal<typeof import('node:os')>(),
  userInfo: () => { throw new Error('no passwd entry'); },
}));

const saved = process.env.USER;
afterEach(() => { if (saved === undefined) delete process.env.USER; else process.env.USER = saved; });

describe('currentUser', () => {
  it('falls back on $USER, then on "unknown"', async () => {
    const { currentUser } = await import('../../registry/registry.js');
    process.env.USER = 'dee';
    expect(currentUser()).toBe('dee');
    delete process.env.USER;
    expect(currentUser()).toBe('unknown');
  });
});
