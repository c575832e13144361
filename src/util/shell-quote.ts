// Shell words for commands eds prints for someone to paste: exact for any bytes, and nothing in them a terminal would act on.

/**
 * One word for bash (or zsh, ksh). Printable ASCII goes in single quotes, which every shell reads the
 * same; anything else (control characters, ESC, non-UTF-8 bytes, even é) in `$'…'` with each such byte
 * as `\xHH`, so the printed command holds only printable ASCII and still names the exact file.
 */
export function shellQuote(word: string | Uint8Array): string {
  const bytes = typeof word === 'string' ? Buffer.from(word, 'utf8') : Buffer.from(word);
  const printable = (b: number) => b >= 0x20 && b < 0x7f;
  if (bytes.every(printable)) return `'${bytes.toString('latin1').replace(/'/g, `'\\''`)}'`;
  let out = "$'";
  for (const b of bytes) {
    if (b === 0x27 || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    // Always two digits: bash reads at most two, so a hex digit after it stays literal.
    else if (printable(b)) out += String.fromCharCode(b);
    else out += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}
