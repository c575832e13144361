// Record file names and planted entries without real users: the tagged name kept per course directory, first-layout files, a drop directory swapped mid-session, check's removal commands, config file owners.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { appendLines, CourseStore, FILE_SETTING, SENT_SETTING } from '../../src/course/sink.js';
import { checkCourseDir, parseRecordFileName, recordFileName, RECORDS_DIR } from '../../src/course/layout.js';
import { attemptRecord, formatRecord } from '../../src/course/record.js';
import { readCourseRecords } from '../../src/course/class-report.js';
import { readConfig } from '../../src/course/config.js';
import { shellQuote } from '../../src/util/shell-quote.js';
import { tempDirs } from '../support/course.js';

const { temp, courseDir: courseIn } = tempDirs();
/** A course directory laid out as init does (mode set by hand: these tests need no group). */
const courseDir = () => courseIn('eds-names-');
const me = process.getuid?.() ?? 0;
/** Tests that hand files to other uids need root (CI runs as root): they fail, rather than skip, without it. */
function needRoot(): void {
  if (me !== 0) throw new Error('this test chowns files to other uids and must run as root (CI does): sudo npx vitest run test/course');
}
const open = (home: string, dir: string) => new CourseStore(openStore({ home, user: 'ana', env: {} }), { dir, login: 'ana', uid: me });
const answer = (store: CourseStore, question: string) =>
  store.recordAttempt({ lesson: 'river', question, answer: 'a', correct: true, secondsSpent: 1, seed: 1 });

describe('record file names', () => {
  it('are tagged, read back tagged-first, and kept per course directory across sessions', () => {
    expect(parseRecordFileName('ana.1001.0123456789abcdef.jsonl')).toEqual({ login: 'ana', uid: 1001, tag: '0123456789abcdef' });
    // An all-digit random part is still the tagged form, not a login with a dot in it.
    expect(parseRecordFileName('ana.1001.1234567890123456.jsonl')).toEqual({ login: 'ana', uid: 1001, tag: '1234567890123456' });
    expect(parseRecordFileName('ana.1001.jsonl')).toEqual({ login: 'ana', uid: 1001, tag: null });
    expect(parseRecordFileName('ana.1001.0123456789ABCDEF.jsonl')).toBeNull();
    expect(parseRecordFileName('notes.txt')).toBeNull();
    expect(recordFileName('a b@c', 7, '00000000000000ff')).toBe('a_b_c.7.00000000000000ff.jsonl');

    const [one, two] = [courseDir(), courseDir()];
    const home = temp('eds-home-');
    const first = open(home, one);
    answer(first, 'q1');
    const name = readdirSync(join(one, RECORDS_DIR))[0]!;
    expect(name).toMatch(new RegExp(`^ana\\.${me}\\.[0-9a-f]{16}\\.jsonl$`));
    first.close();
    const again = open(home, one);
    answer(again, 'q2');
    expect(readdirSync(join(one, RECORDS_DIR))).toEqual([name]);
    again.close();
    // Another course directory gets a name of its own; the first one's is kept.
    const other = open(home, two);
    answer(other, 'q3');
    const names = JSON.parse(other.setting(FILE_SETTING)!) as Record<string, string>;
    expect(names[one]).toBe(name);
    expect(names[two]).toBe(readdirSync(join(two, RECORDS_DIR))[0]);
    expect(names[two]).not.toBe(name);
    other.close();
  });

  it('a student with a first-layout file moves on to a tagged one: every answer is read once', () => {
    const dir = courseDir();
    const home = temp('eds-home-');
    // What an earlier eds did: three answers sent to <login>.<uid>.jsonl, watermark at 3.
    const store = openStore({ home, user: 'ana', env: {} });
    for (const q of ['q1', 'q2', 'q3']) store.recordAttempt({ lesson: 'river', question: q, answer: 'a', correct: true, secondsSpent: 1, seed: 1 });
    const old = join(dir, RECORDS_DIR, recordFileName('ana', me));
    appendLines(
      old,
      store.attempts().map((a) => formatRecord(attemptRecord(a))),
    );
    store.setSetting(SENT_SETTING, JSON.stringify({ dir, attempts: 3, steps: [] }));
    store.close();

    const now = open(home, dir);
    answer(now, 'q4');
    answer(now, 'q5');
    now.close();
    const files = readdirSync(join(dir, RECORDS_DIR)).sort();
    expect(files).toHaveLength(2);
    expect(readFileSync(old, 'utf8').trim().split('\n')).toHaveLength(3);
    const data = readCourseRecords(dir, { verifyOwners: false });
    expect(data.attempts.map((a) => a.question).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
  });

  it('a drop directory swapped mid-session is checked again, and nothing is sent into an unsafe one', () => {
    const dir = courseDir();
    const store = open(temp('eds-home-'), dir);
    answer(store, 'q1');
    renameSync(join(dir, RECORDS_DIR), join(dir, 'records.old'));
    mkdirSync(join(dir, RECORDS_DIR));
    chmodSync(join(dir, RECORDS_DIR), 0o777);
    answer(store, 'q2');
    expect(store.warnings.join('\n')).toMatch(/not sending answers to the course directory: .*records is listable by everyone/);
    expect(readdirSync(join(dir, RECORDS_DIR))).toEqual([]);
    store.close();
  });

  it('something planted under the remembered name is never written to; the student is told once', () => {
    const dir = courseDir();
    const home = temp('eds-home-');
    const store = open(home, dir);
    const planned = store.recordFile;
    const loot = join(temp('eds-loot-'), 'loot');
    writeFileSync(loot, '');
    symlinkSync(loot, planned);
    answer(store, 'q1');
    answer(store, 'q2');
    expect(store.warnings.filter((w) => w.includes('your answers now go to a new file'))).toEqual([
      `your record file ${planned.split('/').pop()} is a symlink: nothing was sent to it, your answers now go to a new file (tell your instructor: eds instructor check names the old one)`,
    ]);
    expect(readFileSync(loot, 'utf8')).toBe('');
    expect(store.recordFile).not.toBe(planned);
    expect(readFileSync(store.recordFile, 'utf8').trim().split('\n')).toHaveLength(2);
    // A second name for the student's own file: moved on again, nothing lost.
    linkSync(store.recordFile, join(temp('eds-link-'), 'x'));
    const linked = store.recordFile;
    answer(store, 'q3');
    expect(store.recordFile).not.toBe(linked);
    store.close();
    expect(
      readCourseRecords(dir, { verifyOwners: false })
        .attempts.map((a) => a.question)
        .sort(),
    ).toEqual(['q1', 'q2', 'q3']);
  });
});

describe('eds instructor check on planted entries', () => {
  it('names each with a removal command that bash runs as printed, and leaves the real files alone', () => {
    needRoot();
    const dir = courseDir();
    const records = join(dir, RECORDS_DIR);
    const real = join(records, recordFileName(userInfo().username, me, 'aaaaaaaaaaaaaaaa'));
    writeFileSync(real, '', { mode: 0o640 });
    const names = [
      Buffer.from(recordFileName('ben', 4242, 'bbbbbbbbbbbbbbbb')), // owned by us, not by uid 4242
      Buffer.from("it's \x1b[2J\x07.jsonl"),
      Buffer.from('-rf'),
      Buffer.concat([Buffer.from('x'), Buffer.from([0xff]), Buffer.from('\u202e.jsonl')]),
    ];
    for (const n of names) writeFileSync(Buffer.concat([Buffer.from(`${records}/`), n]), '');
    mkdirSync(join(records, 'sub'));
    writeFileSync(join(records, 'sub', 'inside'), '');
    symlinkSync('/etc/passwd', join(records, recordFileName('cy', me, 'cccccccccccccccc')));
    spawnSync('mkfifo', [join(records, 'fifo.jsonl')]);
    const check = checkCourseDir(dir);
    const removals = check.problems.filter((p) => p.command?.startsWith('rm '));
    expect(removals).toHaveLength(names.length + 3);
    for (const p of check.problems) {
      // What reaches the instructor's terminal: printable, whatever the names held.
      expect(p.message + (p.command ?? '')).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/);
    }
    expect(check.problems.map((p) => p.message).join('\n')).toContain(`belongs to root (uid 0), not to uid 4242 as its name says`);
    for (const p of removals) expect(spawnSync('bash', ['-c', p.command!]).status, p.command).toBe(0);
    expect(readdirSync(records)).toEqual([real.split('/').pop()]);
    expect(checkCourseDir(dir).problems).toEqual([]);
    expect(existsSync('/etc/passwd')).toBe(true);
  });

  it('shell words round-trip any bytes through bash', () => {
    for (const word of ['plain', "it's", 'a\nb', '\x1b]0;t\x07', 'é', '\\x41', "$'x'", '-rf']) {
      const r = spawnSync('bash', ['-c', `printf %s ${shellQuote(word)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(word);
      expect(shellQuote(word)).not.toMatch(/[^\x20-\x7e]/);
    }
  });
});

describe('config files', () => {
  it("are used only when they are the user's own or root's and nobody else may write them", () => {
    const file = join(temp('eds-config-'), 'config.json');
    writeFileSync(file, JSON.stringify({ course_dir: '/srv/eds', group: 'eds-staff' }));
    expect(readConfig(file)).toEqual({ course_dir: '/srv/eds', group: 'eds-staff' });
    needRoot();
    // Someone else's file (uid 4242): whoever owns it could point every student elsewhere.
    chownSync(file, 4242, -1);
    expect(() => readConfig(file)).toThrow(/not used, it belongs to uid 4242/);
    chownSync(file, 0, -1);
    writeFileSync(file, JSON.stringify({ course_dir: '/srv/eds', group: 'a b' }));
    expect(() => readConfig(file)).toThrow(/group must be a group name or gid/);
  });
});
