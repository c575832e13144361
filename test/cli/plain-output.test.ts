// Plain output is the student's own (issue 21, screens 5): `eds start` without a terminal prints the seed the tutor
// uses, `eds run pick --help` documents pick's options, `eds datasets card NAME` prints a card wherever eds is
// installed, and `eds lessons`, `eds progress` and the plain course map keep their columns aligned for long ids.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { openStore } from '../../src/store/index.js';
import { lessonSeed, studentSeed } from '../../src/tutor/open-services.js';
import { datasetCard, datasetCardNames } from '../../src/data/cards.js';
import { displayWidth } from '../../src/util/text.js';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'eds-plain-'));
  vi.stubEnv('EDS_HOME', home);
  vi.stubEnv('EDS_USER', 'carol');
  vi.stubEnv('NO_COLOR', '1');
  vi.stubEnv('EDS_COURSE_DIR', '');
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** The command of every experiment (`Run it: eds run TASK --opt value …`) in a text whose lines may have been wrapped. */
function runCommands(text: string): string[] {
  const flat = text.replace(/`/g, ' ` ').replace(/\s+/g, ' ');
  return [...flat.matchAll(/Run it: ` eds run [a-z][a-z-]*(?: --[A-Za-z_-]+ [^\s`]+)*/g)].map((m) => m[0]);
}

describe('eds start without a terminal', () => {
  it.each(['river', 'neural', 'lidar-supervised'])('prints the seed the tutor uses in every eds run command of %s', async (lesson) => {
    const r = await runCli(['start', lesson]);
    expect(r.code).toBe(0);
    const seed = studentSeed('carol', lesson);
    const commands = runCommands(r.out);
    expect(commands.length).toBe((r.out.match(/Run it:/g) ?? []).length);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c, c).toContain(`--seed ${seed}`);
    expect(r.out).toContain(`Your seed for this lesson is ${seed}`);
  });

  it('uses the seed kept in the store, as the tutor does, not one recomputed from the login', async () => {
    const store = openStore({ home, user: 'carol', env: {} });
    store.setSetting('seed:river', '4242');
    expect(lessonSeed(store, 'carol', 'river')).toBe(4242);
    store.close();
    const r = await runCli(['start', 'river']);
    const commands = runCommands(r.out);
    expect(commands.length).toBeGreaterThan(0);
    for (const c of commands) expect(c).toContain('--seed 4242');
    expect(r.out).not.toContain(`--seed ${studentSeed('carol', 'river')}`);
  });
});

describe('eds run pick --help', () => {
  it('documents the options pick reads', async () => {
    // yargs prints its help with console.log.
    let help = '';
    const log = vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void (help += `${args.join(' ')}\n`));
    let r: Awaited<ReturnType<typeof runCli>>;
    try {
      r = await runCli(['run', 'pick', '--help']);
    } finally {
      log.mockRestore();
    }
    r.out += help;
    expect(r.code).toBe(0);
    for (const option of ['--threshold', '--tolerance', '--windows', '--weights', '--backend', '--data', '--seed']) expect(r.out).toContain(option);
    expect(r.out).toMatch(/\.npz/);
    expect(r.out).toMatch(/--threshold\s+minimum peak probability/);
  });

  it("documents every task from its declaration: train's shape options, a lesson task's choices and defaults", async () => {
    const help = async (args: string[]): Promise<string> => {
      let text = '';
      const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void (text += `${parts.join(' ')}\n`));
      try {
        const r = await runCli(args);
        expect(r.code).toBe(0);
        return r.out + text;
      } finally {
        log.mockRestore();
      }
    };
    const train = await help(['run', 'train', '--help']);
    for (const option of ['--filters', '--pool', '--epochs', '--batch-size', '--learning-rate', '--hidden-units', '--train-size', '--backend'])
      expect(train).toContain(option);
    expect(train).toMatch(/--epochs\s+passes over the training digits \[an integer from 1 to\s+1000\]/);
    const river = await help(['run', 'river', '--help']);
    expect(river).toMatch(/--stage\s+which part of the practical \(inspect \| align \| fit \| compare \|\s+season\)/);
    expect(river).toContain('--max-gap');
    const classify = await help(['run', 'classify', '--help']);
    expect(classify).toMatch(/--tolerance\s+lidar neighbourhood tolerance: default 0 \(exact\)/);
    expect(classify).not.toMatch(/--threshold\s+minimum peak probability/);
  });

  it('keeps the other tasks strict: a pick option is refused by classify', async () => {
    const r = await runCli(['run', 'classify', '--dataset', 'iris', '--threshold', '0.5']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toMatch(/unknown option --threshold for eds run classify/);
  });
});

describe('eds datasets card', () => {
  it('prints the card of a dataset, rendered, with its tables aligned', async () => {
    const r = await runCli(['datasets', 'card', 'river']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('suspended sediment concentration');
    expect(r.out).toContain('turbidity_ntu');
    expect(r.out).not.toMatch(/\|---/);
    expect(r.out).not.toMatch(/[\u001b\u009b]/);
  });

  it('prints the Markdown source with --raw, and a lidar scene gives the lidar card', async () => {
    const raw = await runCli(['datasets', 'card', 'river', '--raw']);
    expect(raw.out).toMatch(/^# river/);
    expect(raw.out).toContain('|---|');
    const lidar = await runCli(['datasets', 'card', 'lidar-dunes', '--raw']);
    expect(lidar.code).toBe(0);
    expect(lidar.out).toBe((await runCli(['datasets', 'card', 'lidar', '--raw'])).out);
  });

  it('an unknown name is one line that lists the known cards', async () => {
    const r = await runCli(['datasets', 'card', 'nope\u001b[2J']);
    expect(r.code).toBe(1);
    const first = r.err.split('\n')[0]!;
    expect(first).toMatch(/^eds: no dataset card "nope\[2J" \(cards: /);
    for (const name of ['breast-cancer', 'iris', 'lidar', 'phases', 'river', 'volcano', 'wine']) expect(first).toContain(name);
    expect(r.err).not.toMatch(/[\u001b]|at .*\.ts:\d+/);
  });

  it('reads cards from a folder, sanitised', () => {
    const root = mkdtempSync(join(tmpdir(), 'eds-cards-'));
    mkdirSync(join(root, 'odd'));
    writeFileSync(join(root, 'odd', 'README.md'), '# odd\n\nA \u001b]0;pwned\u0007title and \u202etext.\n');
    mkdirSync(join(root, 'no-card'));
    expect(datasetCardNames(root)).toEqual(['odd']);
    expect(datasetCard('odd', root).markdown).toBe('# odd\n\nA ]0;pwnedtitle and text.\n');
  });

  it('every lesson points to cards by command, not by a path of the source tree', async () => {
    const { readdirSync, readFileSync } = await import('node:fs');
    const dir = join(import.meta.dirname, '../../lessons');
    for (const file of readdirSync(dir).filter((f) => /^\d\d-.*\.md$/.test(f))) {
      // Instructors' comments may name source files; what a student reads may not.
      const text = readFileSync(join(dir, file), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      expect(text, file).not.toMatch(/datasets\/[a-z-]+\/README\.md/);
    }
    const river = readFileSync(join(dir, '01-river.md'), 'utf8');
    expect(river).toContain('eds datasets card river');
  });
});

/** The display column where `pattern` starts (or, with `end`, ends) on each line that has it. */
function columnsOf(lines: string[], pattern: RegExp, end = false): number[] {
  return lines.flatMap((l) => {
    const m = pattern.exec(l);
    return m ? [displayWidth(l.slice(0, m.index + (end ? m[0].length : 0)))] : [];
  });
}

function lessonsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'eds-long-ids-'));
  const lesson = (file: string, id: string, title: string) =>
    writeFileSync(
      join(dir, file),
      ['---', `id: ${id}`, 'session: 1', `title: ${title}`, 'summary: s', '---', '', ':::page One', 'Text.', ':::', ''].join('\n'),
    );
  lesson('01-a.md', 'a', 'Short');
  lesson('02-a-lesson-id-much-longer-than-sixteen-columns.md', 'a-lesson-id-much-longer-than-sixteen-columns', 'Long id');
  lesson('03-wide.md', 'wide', '地震と火山の機械学習 — séismes, volcans et données de terrain, un titre long');
  return dir;
}

describe('columns stay aligned for long ids and wide titles', () => {
  it('eds lessons', async () => {
    vi.stubEnv('EDS_LESSONS_DIR', lessonsDir());
    const r = await runCli(['lessons']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const cols = columnsOf(lines, /\d+\/\d+ steps/);
    expect(cols).toHaveLength(3);
    expect(new Set(cols).size).toBe(1);
    // The title column starts at the same place too.
    expect(new Set(columnsOf(lines, /(Short|Long id|地震)/)).size, r.out).toBe(1);
  });

  it('eds progress', async () => {
    vi.stubEnv('EDS_LESSONS_DIR', lessonsDir());
    const r = await runCli(['progress']);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => /^(lesson|a|wide)\b/.test(l));
    expect(rows).toHaveLength(4);
    // Counts are right-aligned: their columns end at the same place.
    expect(new Set(columnsOf(rows, /(steps|\d+\/\d+)/, true)).size).toBe(1);
    expect(new Set(columnsOf(rows, /(questions|\d+\/\d+(?= +new))/, true)).size).toBe(1);
  });

  it('the plain course map (eds without a terminal)', async () => {
    vi.stubEnv('EDS_LESSONS_DIR', lessonsDir());
    const r = await runCli([]);
    expect(r.code).toBe(0);
    const rows = r.out.split('\n').filter((l) => / \d+\/\d+ /.test(l));
    expect(rows).toHaveLength(3);
    expect(new Set(columnsOf(rows, /\d+\/\d+ /)).size).toBe(1);
  });
});
