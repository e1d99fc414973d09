import { describe, expect, it } from 'vitest';
import { clearedSessionCookie, readSessionCookie, sessionCookie } from './session-cookie.ts';

describe('session cookie', () => {
  it('reads only the session cookie and only a well-formed value', () => {
    const v = 'a'.repeat(43);
    expect(readSessionCookie(`other=1; triage_session=${v}; x=y`)).toBe(v);
    expect(readSessionCookie('other=1')).toBeNull();
    expect(readSessionCookie('triage_session=short')).toBeNull();
    expect(readSessionCookie(`triage_session=${'a'.repeat(30)};drop`)).toBe('a'.repeat(30));
    expect(readSessionCookie(`triage_session=${'a'.repeat(30)}%00`)).toBeNull();
    expect(readSessionCookie(undefined)).toBeNull();
  });

  it('is HttpOnly, SameSite=Strict, and Secure only when asked', () => {
    expect(sessionCookie('abc', 3_600_000, false)).toBe('triage_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600');
    expect(sessionCookie('abc', 3_600_000, true)).toMatch(/; Secure$/);
    expect(clearedSessionCookie(true)).toMatch(/^triage_session=; .*Max-Age=0; Secure$/);
  });
});
