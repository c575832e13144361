// The packaged lessons are checked in full when eds is built and sealed, so a start need not grade their examples
// again; anything else (an edited file, an instructor's lesson) is still checked in full and left out if it fails.
// Runs the built engine (dist/), as students do: the sources under test are never sealed.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = resolve(import.meta.dirname, '../..');
const dist = async <T>(module: string): Promise<T> => (await import(pathToFileURL(join(ROOT, 'dist/lessons', module)).href)) as T;
const intro = readFileSync(join(ROOT, 'lessons/00-intro.md'), 'utf8');

describe('sealed packaged lessons', () => {
  it('seal exactly the packaged texts that passed, for the engine that built them', async () => {
    const { isSealed } = await dist<typeof import('../../src/lessons/sealed.js')>('sealed.js');
    expect(isSealed(intro)).toBe(true);
    expect(isSealed(`${intro}\n`)).toBe(false);
    // The sources (what vitest runs) have no compiled engine to fingerprint: nothing is sealed there.
    const { isSealed: fromSources } = await import('../../src/lessons/sealed.js');
    expect(fromSources(intro)).toBe(false);
  });

  it('read to the very lessons a full check gives, and cover the task declarations the checks read', async () => {
    const { loadLessons, checkLessons } = await dist<typeof import('../../src/lessons/load.js')>('load.js');
    const { engineModules, isSealed } = await dist<typeof import('../../src/lessons/sealed.js')>('sealed.js');
    // A sealed file skips the semantic checks too: what it gives must not depend on that.
    const full = checkLessons(join(ROOT, 'lessons'));
    expect(full.problems).toEqual([]);
    for (const lesson of full.lessons) expect(isSealed(readFileSync(lesson.file, 'utf8'))).toBe(true);
    expect(loadLessons(join(ROOT, 'lessons')).lessons).toEqual(full.lessons);
    // A rebuilt task declaration (a result key renamed) unseals every lesson, as a rebuilt grader does.
    const modules = engineModules()!.map((f) => f.slice(join(ROOT, 'dist').length + 1).replaceAll('\\', '/'));
    expect(modules).toEqual(
      expect.arrayContaining(['lessons/parse.js', 'lessons/validate.js', 'lessons/grade.js', 'tasks/declarations.js', 'tasks/options.js']),
    );
  });

  it('still leave out an edited lesson whose example now fails, in the built tutor', async () => {
    const { loadLessons } = await dist<typeof import('../../src/lessons/load.js')>('load.js');
    const dir = mkdtempSync(join(tmpdir(), 'eds-sealed-'));
    writeFileSync(join(dir, '00-intro.md'), intro);
    expect(loadLessons(dir).lessons.map((l) => l.id)).toEqual(['intro']);
    // An accept: example that its match: lines refuse: the file is no longer the sealed one, so it is checked.
    const broken = intro.replace(/^accept: .*$/m, 'accept: the colour of the sky on a sunny afternoon');
    expect(broken).not.toBe(intro);
    writeFileSync(join(dir, '00-intro.md'), broken);
    const loaded = loadLessons(dir);
    expect(loaded.lessons).toEqual([]);
    expect(loaded.problems.map((p) => p.message).join('\n')).toMatch(/refuses "the colour of the sky/);
  });
});
