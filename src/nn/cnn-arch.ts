// The digits CNN a student may reshape for the leaderboard: how many 3×3 conv layers, the filters of each and the
// max pooling after each. Pure (no tfjs), so the ranking can count an entry's parameters without building it.

/** One architecture: `filters[i]` 3×3 filters in conv layer i, then max pooling of `pool[i]` (1: none), then dense 10. */
export interface CnnArch {
  /** Filters per conv layer, first layer first; its length is the number of conv layers. */
  filters: number[];
  /** Max-pool size after each conv layer (same length as `filters`; 1 means no pooling). */
  pool: number[];
}

/** The lesson's CNN: conv 8 → pool 2 → conv 16 → pool 2 → dense 10, 5,258 parameters. */
export const DEFAULT_CNN: Readonly<CnnArch> = Object.freeze({ filters: [8, 16], pool: [2, 2] });

/** What `--filters` and `--pool` accept. */
export const CNN_LIMITS = {
  /** Conv layers. */
  maxLayers: 5,
  /** Filters in one layer. */
  maxFilters: 64,
  /** Max-pool size (a 4×4 block already throws away 15 of 16 values). */
  maxPool: 4,
  /** Trainable parameters: past the default MLP's 101,770 a CNN cannot win, and every lesson shape (16,32 unpooled: 189,130) fits. */
  maxParams: 250_000,
} as const;

/** Side of the digit images. */
const IMAGE = 28;
/** Classes of the dense output layer. */
const CLASSES = 10;

/** Why an architecture cannot be built (one line), or null when it can. */
export function cnnArchProblem(arch: CnnArch): string | null {
  const { filters, pool } = arch;
  if (!Array.isArray(filters) || !Array.isArray(pool)) return 'filters and pool must be lists of whole numbers';
  if (filters.length < 1 || filters.length > CNN_LIMITS.maxLayers)
    return `filters: give 1 to ${CNN_LIMITS.maxLayers} conv layers (comma-separated), got ${filters.length}`;
  if (pool.length !== filters.length) return `pool: give one size for every layer or ${filters.length} sizes, got ${pool.length}`;
  for (const f of filters) {
    if (!(Number.isInteger(f) && f >= 1 && f <= CNN_LIMITS.maxFilters))
      return `filters: each layer needs a whole number of filters from 1 to ${CNN_LIMITS.maxFilters}, got ${String(f)}`;
  }
  for (const p of pool) {
    if (!(Number.isInteger(p) && p >= 1 && p <= CNN_LIMITS.maxPool))
      return `pool: each size must be a whole number from 1 (no pooling) to ${CNN_LIMITS.maxPool}, got ${String(p)}`;
  }
  let side = IMAGE;
  for (let i = 0; i < filters.length; i++) {
    if (side < 3) return `conv layer ${i + 1} gets a ${side}×${side} map, smaller than its 3×3 filters: use fewer layers or less pooling`;
    side -= 2;
    if (pool[i]! > side) return `pool ${pool[i]} after conv layer ${i + 1} would shrink its ${side}×${side} map below 1×1: use fewer layers or less pooling`;
    side = Math.floor(side / pool[i]!);
  }
  const params = countCnn(arch);
  if (params > CNN_LIMITS.maxParams)
    return `this CNN has ${params.toLocaleString('en-US')} parameters, more than the ${CNN_LIMITS.maxParams.toLocaleString('en-US')} eds trains: fewer filters or more pooling`;
  return null;
}

/** The map's side after each layer (valid 3×3 convolutions, pooling that floors), for the builder and the text. */
export function cnnSides(arch: CnnArch): number[] {
  const sides: number[] = [];
  let side = IMAGE;
  for (let i = 0; i < arch.filters.length; i++) {
    side = Math.floor((side - 2) / arch.pool[i]!);
    sides.push(side);
  }
  return sides;
}

function countCnn(arch: CnnArch): number {
  let total = 0;
  let channels = 1;
  for (const f of arch.filters) {
    total += f * (9 * channels + 1);
    channels = f;
  }
  const side = cnnSides(arch).at(-1)!;
  return total + side * side * channels * CLASSES + CLASSES;
}

/**
 * Trainable parameters: f·(9c + 1) for each conv layer of f filters over c channels, then side²·f_last·10 + 10
 * for the dense layer. Throws an Error with a one-line reason for an architecture that cannot be built.
 */
export function cnnParams(arch: CnnArch): number {
  const why = cnnArchProblem(arch);
  if (why) throw new Error(why);
  return countCnn(arch);
}

/**
 * Reads `--filters 4,8` and `--pool 2` (one size for every layer) or `--pool 2,1` (one per layer); each may also
 * be a number (yargs gives `--filters 8` as one) or a list already. Missing ones are the default CNN's.
 * Returns the architecture or a one-line problem.
 */
export function parseCnnArch(filters: unknown, pool: unknown): { arch: CnnArch } | { problem: string } {
  const list = (value: unknown, name: string): number[] | string => {
    const parts = Array.isArray(value) ? value.map(String) : typeof value === 'number' ? [String(value)] : typeof value === 'string' ? value.split(',') : null;
    if (parts === null) return `${name}: expected whole numbers separated by commas`;
    const out: number[] = [];
    for (const raw of parts) {
      const t = raw.trim();
      if (!/^\d{1,6}$/.test(t)) return `${name}: expected whole numbers separated by commas, got "${t.slice(0, 20)}"`;
      out.push(Number(t));
    }
    return out;
  };
  const f = filters === undefined ? [...DEFAULT_CNN.filters] : list(filters, 'filters');
  if (typeof f === 'string') return { problem: f };
  const p = pool === undefined ? (filters === undefined ? [...DEFAULT_CNN.pool] : [DEFAULT_CNN.pool[0]!]) : list(pool, 'pool');
  if (typeof p === 'string') return { problem: p };
  const arch: CnnArch = { filters: f, pool: p.length === 1 ? f.map(() => p[0]!) : p };
  const why = cnnArchProblem(arch);
  return why ? { problem: why } : { arch };
}

/** True when `arch` is the lesson's default CNN. */
export function isDefaultCnn(arch: CnnArch): boolean {
  return arch.filters.join(',') === DEFAULT_CNN.filters.join(',') && arch.pool.join(',') === DEFAULT_CNN.pool.join(',');
}

/** Short label for tables: `4,8/2`, filters per layer then the pooling (once when every layer has the same). */
export function cnnLabel(arch: CnnArch): string {
  const same = arch.pool.every((p) => p === arch.pool[0]);
  return `${arch.filters.join(',')}/${same ? arch.pool[0] : arch.pool.join(',')}`;
}

/** The layers in words: `conv 8 → pool 2 → conv 16 → pool 2 → dense 10`. */
export function cnnDescription(arch: CnnArch): string {
  const parts: string[] = [];
  arch.filters.forEach((f, i) => {
    parts.push(`conv ${f}`);
    if (arch.pool[i]! > 1) parts.push(`pool ${arch.pool[i]}`);
  });
  return [...parts, `dense ${CLASSES}`].join(' → ');
}
