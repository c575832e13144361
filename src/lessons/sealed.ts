// Lesson files already read and checked in full when eds was built: grading every `accept:`/`refuse:` example of the
// packaged lessons cost each start about 200 ms, and reading them 100 ms more, for an answer that cannot change until
// the lessons or the lesson engine do.
//
// `npm run build` writes `sealed-lessons.json` beside this module: the SHA-256 of each packaged lesson file that
// passed `eds lessons check`, and a fingerprint of the lesson engine that checked it (its compiled modules, the task
// declarations the checks read included), and the lesson each text was read into. At load, a file whose text and
// engine both match is that lesson, neither read nor checked again (reading and checking the eight packaged lessons
// was a third of a start); any other file (an instructor's lesson, an edited one, a rebuilt grader, the TypeScript
// sources under test) is read and checked in full, so a lesson whose example fails is still never offered.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Lesson } from './types.js';

/** Where the compiled lesson engine is, and its seal file. */
const HERE = dirname(fileURLToPath(import.meta.url));
const SEAL_FILE = join(HERE, 'sealed-lessons.json');

/** What the seal file holds. */
interface Seal {
  /** SHA-256 of the engine's compiled modules (only a build of .js modules can be sealed). */
  engine: string;
  /** SHA-256 of each lesson file's text that passed every check. */
  lessons: string[];
  /** What reading each of them gave (its `Lesson` as JSON, `file` left empty), by the text's SHA-256. */
  parsed: Record<string, string>;
}

function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A compiled module's own static imports and re-exports (`from './x.js'`, `import './x.js'`), over line breaks too. */
const RELATIVE_IMPORT = /^(?:import|export)\s[^;]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|^import\s*['"](\.{1,2}\/[^'"]+)['"]/gm;

/**
 * The compiled modules a lesson is read and checked with: load.js and every module it imports, transitively
 * (the parser, the checks, the task declarations the checks read and what those import). Null when it runs
 * from sources (tests): then nothing is sealed.
 */
export function engineModules(): string[] | null {
  const start = join(HERE, 'load.js');
  if (!existsSync(start)) return null;
  const found = new Set<string>([start]);
  for (const file of found) {
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) found.add(join(dirname(file), m[1] ?? m[2]!));
  }
  return [...found].sort();
}

/** The engine's fingerprint: the SHA-256 of its modules' names and texts. */
function engineFingerprint(): string | null {
  const modules = engineModules();
  if (modules === null) return null;
  const h = createHash('sha256');
  for (const f of modules) h.update(relative(HERE, f)).update('\u0000').update(readFileSync(f));
  return h.digest('hex');
}

let sealed: Seal | null | undefined;

/** The seal, when there is one for this very engine. */
function currentSeal(): Seal | null {
  if (sealed === undefined) {
    sealed = null;
    try {
      const seal = JSON.parse(readFileSync(SEAL_FILE, 'utf8')) as Seal;
      if (Array.isArray(seal.lessons) && typeof seal.parsed === 'object' && seal.engine === engineFingerprint()) sealed = seal;
    } catch {
      // No seal (a build without it, the sources under test): every lesson is checked in full.
    }
  }
  return sealed;
}

/** Whether this exact lesson text passed every check with this exact engine when eds was built. */
export function isSealed(text: string): boolean {
  return currentSeal()?.lessons.includes(sha256(text)) === true;
}

/**
 * The lesson this exact text was read into when eds was built, as `parseLesson(text, file)` reads it, or null when
 * the text (or the engine) is not the sealed one. A fresh object each time. Reading the packaged lessons at a start
 * is then a JSON parse, not a Markdown parse and the building of every text question's matching rules.
 */
export function sealedLesson(text: string, file: string): Lesson | null {
  const seal = currentSeal();
  if (seal === null) return null;
  const json = seal.parsed[sha256(text)];
  return json === undefined ? null : { ...(JSON.parse(json) as Lesson), file };
}

/** Writes the seal for the lesson files that passed, with what each was read into (`npm run build`, packaged lessons). */
export function writeSeal(passed: ReadonlyArray<{ text: string; lesson: Lesson }>): void {
  const engine = engineFingerprint();
  if (engine === null) return;
  const parsed: Record<string, string> = {};
  for (const { text, lesson } of passed) parsed[sha256(text)] = JSON.stringify({ ...lesson, file: '' });
  const seal: Seal = { engine, lessons: Object.keys(parsed).sort(), parsed };
  writeFileSync(SEAL_FILE, JSON.stringify(seal) + '\n');
}
