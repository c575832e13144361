// Two edits scripts/bundle.mjs makes to dependencies' code as it bundles them, each for time spent before the
// first frame that buys nothing in a terminal. Each edit replaces exact text; when a new version of the package no
// longer has that text, the edit is skipped with a warning (the bundle is then only slower, never wrong).
// test/build/bundle-patches.test.ts checks that the edited code answers as the original does.

/** The emoji test string-width uses instead of `/^\p{RGI_Emoji}$/v` (exported for the test). */
export const RGI_EMOJI_LAZY = `{
  // eds bundle: building and first running /^\\p{RGI_Emoji}$/v costs ~50 ms, on the first non-ASCII text drawn.
  // Every RGI emoji holds a non-ASCII Emoji character or a keycap mark, so text without one skips it.
  maybe: /(?![\\x00-\\x7F])\\p{Emoji}|\\u20E3/u,
  full: undefined,
  test(segment) {
    return this.maybe.test(segment) && (this.full ??= new RegExp('^\\\\p{RGI_Emoji}$', 'v')).test(segment);
  },
}`;

/**
 * Each edit: which file (its path ends with `file` and its text holds `marker`: older copies of a package nested
 * elsewhere in node_modules lack the marker and are left alone), the exact text, its replacement, how many times the
 * text occurs, and why.
 */
export const PATCHES = [
  {
    file: 'node_modules/yoga-layout/dist/binaries/yoga-wasm-base64-esm.js',
    marker: 'typeof fetch',
    find: '"function"!=typeof fetch',
    replace: '!0',
    count: 2,
    why: "yoga's WebAssembly is a data: URL it fetch()es, which loads Node's fetch (undici, ~30 ms); without fetch it decodes the same bytes itself",
  },
  {
    file: 'node_modules/string-width/index.js',
    marker: 'const rgiEmojiRegex',
    find: 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;',
    replace: `const rgiEmojiRegex = ${RGI_EMOJI_LAZY};`,
    count: 1,
    why: 'string-width builds /^\\p{RGI_Emoji}$/v at import and runs it on every non-ASCII grapheme: ~50 ms before the first frame',
  },
];

/** The module's text with the edits that apply to `path`; `warn` hears of an edit whose text is not there. */
export function patchSource(path, text, warn = () => {}) {
  const normal = path.split('\\').join('/');
  let out = text;
  for (const patch of PATCHES) {
    if (!normal.endsWith(`/${patch.file}`) || !out.includes(patch.marker)) continue;
    const found = out.split(patch.find).length - 1;
    if (found !== patch.count) {
      warn(`${patch.file}: expected ${patch.count} × ${JSON.stringify(patch.find)}, found ${found}; left as it is (${patch.why})`);
      continue;
    }
    // A function, so `$'` and the like in the replacement stay as they are.
    out = out.replaceAll(patch.find, () => patch.replace);
  }
  return out;
}
