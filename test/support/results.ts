// Typed reads of an experiment's `--json` payload (Record<string, unknown>): a test names the keys it needs and
// gets numbers back, failing with the key's name when one is missing or not a number, instead of casting.
import { expect } from 'vitest';

/** The named keys of `json` as numbers; each must be present and a number (NaN and ±Infinity allowed). */
export function numbers<K extends string>(json: Readonly<Record<string, unknown>>, keys: readonly K[]): Record<K, number> {
  const out = {} as Record<K, number>;
  for (const key of keys) {
    const v = json[key];
    expect(typeof v, `result key ${key}`).toBe('number');
    out[key] = v as number;
  }
  return out;
}
