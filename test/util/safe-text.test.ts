import { describe, expect, it } from 'vitest';
import { hasControlCharacters, safeLine, safeText } from '../../src/util/safe-text.js';

describe('safeText / safeLine', () => {
  it('removes ESC, C1 controls and bidi overrides, keeping what a person reads', () => {
    const hostile = 'ok\u001b]0;pwned\u0007 \u001b[2J\u009b31m done \u202eevil\u202c';
    const out = safeText(hostile);
    expect(out).not.toMatch(/[\u001b\u0007\u009b\u202e\u202c]/);
    expect(out).toContain('ok');
    expect(out).toContain('done');
    expect(hasControlCharacters(hostile)).toBe(true);
    expect(hasControlCharacters(out)).toBe(false);
  });

  it('keeps newlines and tabs in safeText, flattens them in safeLine', () => {
    expect(safeText('a\r\nb\tc\rd')).toBe('a\nb\tc\nd');
    expect(safeLine('a\nb\tc')).toBe('a b c');
  });

  it('cuts a long line with an ellipsis, counting characters not UTF-16 units', () => {
    expect(safeLine('x'.repeat(1000), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(Array.from(safeLine('🌋'.repeat(20), 5))).toHaveLength(5);
    expect(safeLine('short', 10)).toBe('short');
  });

  it('prints non-strings as text', () => {
    expect(safeLine(42)).toBe('42');
    expect(safeLine(null)).toBe('');
  });
});
