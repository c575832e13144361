// One declared experiment task: its name, summary, options (a strict zod schema) and result keys; the contract
// between lessons and experiments (experiments/registry.ts pairs each with its lazily loaded run function). Lessons, `eds run`, `eds lessons check` and the project read options through this one parser, so a
// misspelt or out-of-range option is the same one-line error everywhere. Imports no ML code: the TUI's first frame
// loads the declarations, never the models.
import { z } from 'zod';
import { UserError } from '../errors.js';

/** The schema of a task's options: a zod object, strict about unknown keys. */
export type OptionsSchema = z.ZodObject<z.ZodRawShape, 'strict'>;

/** A task as declared (see {@link declareTask}). */
export interface TaskDeclaration<S extends OptionsSchema = OptionsSchema> {
  /** The name lessons and `eds run` use. */
  name: string;
  /** One line for `eds run --help`. */
  summary: string;
  /** The options: types, defaults (`.default`), ranges, choices and a description each (`.describe`). */
  options: S;
  /** Other spellings of an option a lesson may write (`lr` for `learningRate`). */
  aliases?: Readonly<Record<string, keyof z.infer<S> & string>>;
  /** A check across options (one field's choices depending on another's): a one-line message, or undefined when fine. */
  check?: (options: z.infer<S>) => string | undefined;
  /**
   * The numeric keys its result holds for these options. A key ending in `?` is a number only when it can be computed
   * (otherwise null or absent, e.g. a silhouette with one cluster); the others are always numbers.
   */
  resultKeys: (options: z.infer<S>) => readonly string[];
}

/** Declares a task; the identity, for the types. */
export function declareTask<S extends OptionsSchema>(declaration: TaskDeclaration<S>): TaskDeclaration<S> {
  return declaration;
}

import { camelCase, kebabCase } from './spelling.js';

export { camelCase, kebabCase };

/** How an option is named in messages: as a lesson writes it, or as a flag of `eds run`. */
export type OptionStyle = 'lesson' | 'cli';

/** The parts of one option's schema that parsing and help need. */
export interface OptionInfo {
  /** 'number' | 'integer' | 'boolean' | 'list' | 'choice' | 'string'. */
  kind: 'number' | 'integer' | 'boolean' | 'list' | 'choice' | 'string';
  /** The description given with `.describe`. */
  description?: string;
  /** The default, if any. */
  default?: unknown;
  /** Allowed words of a choice. */
  choices?: readonly string[];
  /** Smallest and largest allowed number, and whether they are excluded. */
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  /** The element kind of a list. */
  element?: OptionInfo;
}

/** Reads a field's schema: unwraps defaults, optionals and refinements down to the base type. */
export function optionInfo(schema: z.ZodTypeAny): OptionInfo {
  let s: z.ZodTypeAny = schema;
  let description = s.description;
  let dflt: unknown;
  for (;;) {
    if (s instanceof z.ZodDefault) {
      dflt = s._def.defaultValue();
      s = s._def.innerType;
    } else if (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap();
    else if (s instanceof z.ZodEffects) s = s.innerType();
    else break;
    description ??= s.description;
  }
  const info: OptionInfo = { kind: 'string', description, default: dflt };
  if (s instanceof z.ZodNumber) {
    info.kind = s.isInt ? 'integer' : 'number';
    for (const c of s._def.checks) {
      if (c.kind === 'min') Object.assign(info, { min: c.value, minExclusive: !c.inclusive });
      if (c.kind === 'max') Object.assign(info, { max: c.value, maxExclusive: !c.inclusive });
    }
  } else if (s instanceof z.ZodBoolean) info.kind = 'boolean';
  else if (s instanceof z.ZodEnum) Object.assign(info, { kind: 'choice', choices: s.options as string[] });
  else if (s instanceof z.ZodLiteral) Object.assign(info, { kind: 'choice', choices: [String(s.value)] });
  else if (s instanceof z.ZodArray) Object.assign(info, { kind: 'list', element: optionInfo(s.element) });
  return info;
}

/** What an option expects, in words: "an integer from 1 to 50", "one of rf, svm". */
export function expected(info: OptionInfo): string {
  if (info.kind === 'choice') return info.choices!.length === 1 ? `"${info.choices![0]}"` : `one of ${info.choices!.join(', ')}`;
  if (info.kind === 'boolean') return 'true or false';
  if (info.kind === 'list') return info.element!.kind === 'string' ? 'a comma-separated list' : `a comma-separated list, each ${expected(info.element!)}`;
  if (info.kind === 'string') return 'a value';
  const what = info.kind === 'integer' ? 'an integer' : 'a number';
  const { min, max } = info;
  if (min !== undefined && max !== undefined) {
    if (info.minExclusive && min === 0 && max === 1 && info.maxExclusive) return `${what} between 0 and 1`;
    if (!info.minExclusive && !info.maxExclusive) return `${what} from ${min} to ${max}`;
    return `${what} in ${info.minExclusive ? '(' : '['}${min}, ${max}${info.maxExclusive ? ')' : ']'}`;
  }
  if (min !== undefined) return info.minExclusive ? `${what} above ${min}` : `${what} of at least ${min}`;
  if (max !== undefined) return info.maxExclusive ? `${what} below ${max}` : `${what} of at most ${max}`;
  return what;
}

/** The edit distance of two short names, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const keep = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = keep;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`, when it is close enough to be a typo. */
export function closest(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  const n = name.toLowerCase();
  for (const k of known) {
    const d = distance(n, k.toLowerCase());
    if (d < bestD) [best, bestD] = [k, d];
  }
  // Two letters off is a typo in a long name, a different word in a short one (`cv` is not `k`).
  return best !== undefined && bestD <= (name.length <= 3 ? 1 : Math.max(2, Math.floor(name.length / 3))) ? best : undefined;
}

/** The option names a declaration knows, as they are written (camelCase), with its aliases. */
export function optionNames(task: TaskDeclaration): string[] {
  return [...Object.keys(task.options.shape), ...Object.keys(task.aliases ?? {})];
}

/** A string from a lesson or the command line, as the schema's type wants it; undefined when it cannot be. */
function coerce(info: OptionInfo, value: string): unknown {
  const text = value.trim();
  if (info.kind === 'number' || info.kind === 'integer') return text === '' ? NaN : Number(text);
  if (info.kind === 'boolean') return ({ true: true, yes: true, false: false, no: false } as Record<string, boolean>)[text] ?? value;
  if (info.kind === 'list') {
    const parts = value
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
    return parts.map((p) => coerce(info.element!, p));
  }
  return value;
}

/**
 * Turns a task's options as given (strings from a lesson or `eds run`, or values yargs already typed) into its typed
 * options with defaults filled in. Keys may be kebab-case, snake_case or camelCase. Anything wrong is one `UserError`
 * line naming the option and what it expects; an unknown key names the closest known one.
 */
export function parseOptions<S extends OptionsSchema>(
  task: TaskDeclaration<S>,
  options: Readonly<Record<string, unknown>>,
  style: OptionStyle = 'lesson',
): z.infer<S> {
  const shape = task.options.shape as Record<string, z.ZodTypeAny>;
  const aliases = (task.aliases ?? {}) as Record<string, string>;
  const exitCode = style === 'cli' ? 2 : 1;
  const label = (raw: string): string => (style === 'cli' ? `--${kebabCase(raw)}` : raw);
  const fail = (message: string): never => {
    throw new UserError(style === 'cli' ? message : `${task.name}: ${message}`, { exitCode });
  };
  const input: Record<string, unknown> = {};
  const rawOf: Record<string, string> = {};
  for (const [raw, value] of Object.entries(options)) {
    if (value === undefined) continue;
    const camel = camelCase(raw);
    const key = raw in shape ? raw : camel in shape ? camel : (aliases[raw] ?? aliases[camel]);
    if (key === undefined) {
      const near = closest(camel, [...Object.keys(shape), ...Object.keys(aliases)]);
      const known = Object.keys(shape).map((k) => (style === 'cli' ? label(k) : kebabCase(k)));
      if (style === 'cli') fail(`unknown option --${raw} for eds run ${task.name}${near ? `; did you mean --${kebabCase(near)}?` : ''}`);
      fail(`unknown option "${raw}"${near ? `: did you mean ${kebabCase(near)}?` : ''} (known: ${known.join(', ')})`);
    }
    if (key! in input) fail(`option ${label(raw)} is given twice (as ${label(rawOf[key!]!)} and ${label(raw)})`);
    rawOf[key!] = raw;
    const info = optionInfo(shape[key!]!);
    input[key!] = typeof value === 'string' ? coerce(info, value) : value;
  }
  const parsed = task.options.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = String(issue.path[0] ?? '');
    if (key === '' || !(key in shape)) fail(issue.message);
    const info = optionInfo(shape[key]!);
    const raw = rawOf[key] ?? key;
    const given = options[raw];
    // A refinement's own message (e.g. "radii above 5 m would take minutes") says more than the type.
    const detail = issue.code === 'custom' ? issue.message : `expected ${expected(info)}`;
    const got = JSON.stringify(Array.isArray(given) ? given.join(',') : String(given));
    fail(style === 'cli' ? `${label(raw)} for eds run ${task.name}: ${detail}, got ${got}` : `option ${raw}: ${detail}, got ${got}`);
  }
  const typed = parsed.data as z.infer<S>;
  const problem = task.check?.(typed);
  // Checks are written as a lesson reads them ("option model: …"); on the command line the option is a flag.
  if (problem !== undefined)
    fail(style === 'cli' ? problem.replace(/^option (\S+):/, (_, k: string) => `--${kebabCase(k)} for eds run ${task.name}:`) : problem);
  return typed;
}

/** The numeric result keys of a task run with `options` (already parsed), split into name and optionality. */
export function declaredResultKeys(task: TaskDeclaration, options: Record<string, unknown>): { key: string; optional: boolean }[] {
  return task.resultKeys(options).map((k) => (k.endsWith('?') ? { key: k.slice(0, -1), optional: true } : { key: k, optional: false }));
}

export { z };
