// The contract every renderer's output must meet, shared by the render tests.
import type { RenderCaps } from '../../src/render/caps.js';
import { displayWidth } from '../../src/render/text.js';

/** Checks one rendering against its caps; returns a description of the first violation, or null. */
export function violation(out: string, caps: RenderCaps): string | null {
  const lines = out.split('\n');
  if (lines.length > caps.height) return `${lines.length} lines > height ${caps.height}`;
  for (const [i, line] of lines.entries()) {
    if (displayWidth(line) > caps.width) return `line ${i} is ${displayWidth(line)} wide > ${caps.width}: ${JSON.stringify(line)}`;
  }
  if (caps.colors === 0 && out.includes('\x1b')) return 'escape sequence at colour depth 0';
  if (!caps.unicode && /[^\x00-\x7f]/.test(out)) return `non-ASCII character in ASCII mode: ${JSON.stringify(out.match(/[^\x00-\x7f]/)![0])}`;
  // Colour must never bleed into the next line (or into whatever the caller prints after).
  const bleeding = lines.findIndex((line) => {
    const sgr = line.match(/\x1b\[[0-9;]*m/g);
    return sgr !== null && sgr[sgr.length - 1] !== '\x1b[0m';
  });
  if (bleeding >= 0) return `line ${bleeding} leaves a style open`;
  return null;
}
