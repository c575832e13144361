// How an option is spelled: in a lesson or the code (`testSize`, `max_gap`) and on the command line (`--test-size`).
// Apart from the declarations (and zod), so that what only prints a lesson need not load them.

/** `test-size` or `max_gap` → `testSize`, `maxGap`. */
export function camelCase(key: string): string {
  return key.replace(/[-_]([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** `testSize` → `test-size` (a command-line flag). */
export function kebabCase(key: string): string {
  return key.length > 1 && /^[a-z]/.test(key) ? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) : key;
}
