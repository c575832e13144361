// A hostile student in a class of real Unix users: squatting record file names, planting files in the drop directory, owning the course directory.
// Needs root to create users (CI runs as root); fails, rather than skips, when it is not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { REPO, sh, shAsync, must, q, requireRoot, runAs, addGroup, addUser, ownedDir, removeMade, snapshotApp, initCourse } from '../support/users.js';

const tag = randomBytes(3).toString('hex');
const staff = `edsf${tag}`;
const students = `edss${tag}`;
const ivy = `edsi${tag}`;
const hal = `edsh${tag}`;
/** One victim per kind of squat: each finds something planted under a name of theirs. */
const KINDS = ['file', 'symlink', 'fifo', 'directory', 'hardlink'] as const;
type Kind = (typeof KINDS)[number];
const victims: Record<Kind, string> = Object.fromEntries(KINDS.map((k, i) => [k, `edsv${i}${tag}`])) as Record<Kind, string>;
let base = '';
let app = '';
let course = '';
let records = '';
const uids: Record<string, number> = {};
const made: string[] = [];
/** Attempts each victim has given, all stores together: what the report must count, exactly. */
const given: Record<string, number> = {};
/** Everything the hostile student put in the drop directory (raw path bytes): check must name each, with a command that removes it. */
const planted: Buffer[] = [];

const homeOf = (user: string, store = 'a') => join(base, `home-${user}-${store}`);
/** Runs a shell command as `user` with an empty environment apart from PATH, HOME, the course directory and umask 077. */
const as = (user: string, script: string, extraEnv: Record<string, string> = {}): SpawnSyncReturns<string> =>
  runAs(user, script, { HOME: homeOf(user), EDS_COURSE_DIR: course, ...extraEnv }, { timeout: 90_000 });
const eds = (args: string) => `node ${q(join(app, 'bin/eds.js'))} ${args}`;

/** What the tutor's course sink said and kept after answering as `user` from one of their stores. */
interface Drive {
  warnings: string[];
  files: Record<string, string> | null;
  sent: { attempts: number } | null;
  seconds: number;
}
function answer(user: string, store: string, questions: string[], extraEnv: Record<string, string> = {}): Drive {
  const answers = questions.map((question, i) => ['river', question, `answer ${i}`, i % 2 === 0, 5 + i]);
  const r = as(user, `node ${q(join(REPO, 'test/course/hostile-drive.mjs'))} ${q(app)} ${q(JSON.stringify(answers))}`, {
    HOME: homeOf(user, store),
    ...extraEnv,
  });
  if (r.status !== 0) throw new Error(`the tutor failed for ${user}: ${r.stderr || r.error?.message}`);
  given[user] = (given[user] ?? 0) + questions.length;
  return JSON.parse(r.stdout) as Drive;
}

/** Puts something of the hostile student's at `path` (bytes in hex, so any name goes through). */
function plant(kind: Kind | 'empty', path: Buffer): void {
  const loot = join(base, 'loot');
  const script: Record<Kind | 'empty', string> = {
    // World-writable, so a tutor that did not check the owner would write into it.
    file: `fs.writeFileSync(p, ''); fs.chmodSync(p, 0o666)`,
    empty: `fs.writeFileSync(p, '')`,
    symlink: `fs.symlinkSync(${JSON.stringify(loot)}, p)`,
    fifo: `require('child_process').execFileSync('mkfifo', [p.toString()])`,
    directory: `fs.mkdirSync(p)`,
    // Another name for the hostile's own file (what fs.protected_hardlinks still allows).
    hardlink: `fs.linkSync(${JSON.stringify(join(base, 'loot2'))}, p)`,
  };
  const r = as(hal, `node -e ${q(`const fs = require('fs'); const p = Buffer.from(process.argv[1], 'hex'); ${script[kind]}`)} ${path.toString('hex')}`);
  if (r.status !== 0) throw new Error(`planting a ${kind} at ${path.toString()} failed: ${r.stderr}`);
  planted.push(path);
}

/** The record files in the drop directory owned by `user` (root lists it). */
function filesOf(user: string): string[] {
  // As bytes: the hostile student's names need not be UTF-8.
  return readdirSync(records, { encoding: 'buffer' })
    .filter((n) => {
      const st = lstatSync(Buffer.concat([Buffer.from(`${records}/`), n]));
      return st.isFile() && st.uid === uids[user];
    })
    .map((n) => n.toString());
}

/** The class report as the instructor reads it. */
function report(): { json: { students: Array<Record<string, unknown>>; problems: string[] }; text: string } {
  const r = as(ivy, eds('instructor report --json'));
  expect(r.status, r.stderr).toBe(0);
  return { json: JSON.parse(r.stdout), text: r.stdout };
}
function attemptsOf(rows: Array<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(rows.filter((s) => String(s.student).endsWith(tag)).map((s) => [s.student, s.attempts]));
}

beforeAll(() => {
  requireRoot('test/course/hostile.test.ts');
  base = mkdtempSync(join(tmpdir(), 'eds-hostile-'));
  chmodSync(base, 0o755);
  for (const g of [staff, students]) addGroup(made, g);
  // Students share one primary group, as on most teaching machines; the instructor is in the staff group.
  for (const user of [ivy, hal, ...Object.values(victims)]) {
    uids[user] = addUser(made, user, { primary: students, ...(user === ivy ? { extra: staff } : {}) });
    for (const store of ['a', 'b']) ownedDir(homeOf(user, store), uids[user]!);
  }
  // What the hostile student would like the victims' tutors to write into, and a FIFO reader's catch.
  for (const f of ['loot', 'loot2', 'stolen']) {
    writeFileSync(join(base, f), '');
    chownSync(join(base, f), uids[hal]!, -1);
    chmodSync(join(base, f), 0o666);
  }
  // The students run a snapshot of the program (other builds of dist/ may happen meanwhile), readable by all.
  app = snapshotApp(base, 'symlink');
  course = join(base, 'course');
  records = join(course, 'records');
  initCourse(app, course, staff);
}, 120_000);

afterAll(() => {
  removeMade(made, base);
});

describe('a hostile student against the drop directory', () => {
  it("taking a victim's old predictable name first (file, symlink, FIFO, directory, hard link) costs the victim nothing", () => {
    for (const kind of KINDS) plant(kind, Buffer.from(join(records, `${victims[kind]}.${uids[victims[kind]]}.jsonl`)));
    for (const kind of KINDS) {
      const v = victims[kind];
      const r = answer(v, 'a', ['q1', 'q2']);
      // Nothing to tell: the tutor never uses the predictable name, and the FIFO cannot hold it up.
      expect(r.warnings, kind).toEqual([]);
      expect(r.seconds).toBeLessThan(30);
      const mine = filesOf(v);
      expect(mine, kind).toHaveLength(1);
      expect(mine[0]).toMatch(new RegExp(`^${v}\\.${uids[v]}\\.[0-9a-f]{16}\\.jsonl$`));
      expect(r.files?.[course]).toBe(mine[0]);
      expect(readFileSync(join(records, mine[0]!), 'utf8').trim().split('\n')).toHaveLength(2);
      expect(must('stat', ['-c', '%a %U %G %h', join(records, mine[0]!)]).trim()).toBe(`640 ${v} ${staff} 1`);
    }
    for (const f of ['loot', 'loot2']) expect(readFileSync(join(base, f), 'utf8')).toBe('');
    // Nobody but root can list the drop directory to learn the new names: not the hostile student.
    expect(as(hal, `ls ${q(records)}`).status).not.toBe(0);

    const { json, text } = report();
    expect(attemptsOf(json.students)).toEqual(Object.fromEntries(Object.values(victims).map((v) => [v, 2])));
    // The planted entries are named in the report, not silently dropped.
    for (const p of planted) expect(text).toContain(p.toString());
  }, 120_000);

  it("planting under a victim's new name, once learnt, is noticed: nothing is written there and the answers arrive under a fresh name", async () => {
    // Each victim answers from a second store while the course directory is unreachable: the tutor picks and keeps a name, and cannot create it yet.
    chmodSync(course, 0o700);
    const names: Record<string, string> = {};
    try {
      for (const kind of KINDS) {
        const r = answer(victims[kind], 'b', ['q3']);
        expect(r.warnings.join('\n')).toMatch(/could not send your answers .*permission denied/);
        names[kind] = r.files![course]!;
        expect(names[kind]).toMatch(/\.[0-9a-f]{16}\.jsonl$/);
      }
    } finally {
      chmodSync(course, 0o775);
    }
    // The hostile student learns (or guesses) each name and takes it first.
    for (const kind of KINDS) plant(kind, Buffer.from(join(records, names[kind]!)));
    // Someone reading the FIFO would receive whatever the tutor wrote into it.
    const reader = spawn('runuser', ['-u', hal, '--', 'sh', '-c', `cat < ${q(join(records, names.fifo!))} > ${q(join(base, 'stolen'))}`], { stdio: 'ignore' });
    const readerDone = new Promise<void>((done) => reader.on('exit', () => done()));

    for (const kind of KINDS) {
      const v = victims[kind];
      const r = answer(v, 'b', ['q4']);
      const told = r.warnings.filter((w) => w.includes('your answers now go to a new file'));
      expect(told, `${kind}: ${r.warnings.join(' | ')}`).toHaveLength(1);
      expect(told[0]).toContain(names[kind]);
      expect(r.seconds).toBeLessThan(30);
      const fresh = r.files![course]!;
      expect(fresh).not.toBe(names[kind]);
      expect(filesOf(v)).toContain(fresh);
      // The backlog (q3) and the new answer (q4), once each.
      expect(readFileSync(join(records, fresh), 'utf8').trim().split('\n')).toHaveLength(2);
      // Told once: the next session writes to the fresh name and says nothing.
      expect(answer(v, 'b', ['q5']).warnings, kind).toEqual([]);
    }
    await Promise.race([readerDone, new Promise((done) => setTimeout(done, 5000))]);
    reader.kill();
    for (const f of ['loot', 'loot2', 'stolen']) expect(readFileSync(join(base, f), 'utf8'), f).toBe('');

    const { json } = report();
    expect(attemptsOf(json.students)).toEqual(Object.fromEntries(Object.values(victims).map((v) => [v, given[v]])));
  }, 180_000);

  it("a second name made for a victim's own file (a hard link) moves their tutor to a fresh file, and every answer is counted once", () => {
    const v = victims.file;
    const [own] = filesOf(v).filter((n) => lstatSync(join(records, n)).nlink === 1 && readFileSync(join(records, n), 'utf8').split('\n').length === 3);
    expect(own).toBeDefined();
    // Where fs.protected_hardlinks is off, anyone who knew the name could do this; root stands in here.
    const link = join(base, 'linked-record');
    must('ln', [join(records, own!), link]);
    const r = answer(v, 'a', ['q6']);
    expect(r.warnings.join('\n')).toMatch(/has 2 names/);
    expect(r.files![course]).not.toBe(own);
    const { json } = report();
    expect(attemptsOf(json.students)[v]).toBe(given[v]);
  }, 60_000);

  it('check names every planted file, safely printed, with the command root runs to remove it', async () => {
    // More the hostile student can do: names that are not record names, forged names, and names built to attack the instructor's terminal.
    const extra = [
      `${victims.file}.${uids[victims.file]}.0123456789abcdef.jsonl`, // a guessed new name (never the victim's: theirs is random)
      `${victims.file}.${uids[hal]}.00000000000000aa.jsonl`, // the hostile's uid under a victim's login
      'notes.txt',
      "it's.1.jsonl",
      '\x1b]0;pwned\x07\x1b[2J.jsonl',
      '-rf',
    ].map((n) => Buffer.from(join(records, n)));
    for (const p of extra) plant('empty', p);
    plant('empty', Buffer.concat([Buffer.from(join(records, 'bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.jsonl')]));
    const legit = Object.values(victims)
      .flatMap((v) => filesOf(v))
      .filter((n) => !planted.some((p) => p.equals(Buffer.from(join(records, n)))));

    const check = as(ivy, eds('instructor check'));
    expect(check.status).toBe(1);
    // Nothing a terminal would act on: no ESC, BEL or other control character but newlines.
    expect(check.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/);
    const lines = check.stdout.trimEnd().split('\n');
    const commands = lines.filter((l) => l.startsWith('  as root: ')).map((l) => l.slice('  as root: '.length));
    const removals = commands.filter((c) => c.startsWith('rm '));
    expect(removals).toHaveLength(planted.length);
    expect(lines.filter((l) => l.startsWith('unsafe: ') && l.includes('planted'))).toHaveLength(planted.length);
    expect(check.stdout).toContain(']0;pwned[2J.jsonl is not a record file name');
    expect(check.stdout).toMatch(
      new RegExp(
        `${victims.file}\\.${uids[victims.file]}\\.0123456789abcdef\\.jsonl belongs to ${hal} \\(uid ${uids[hal]}\\), not to uid ${uids[victims.file]}`,
      ),
    );
    expect(check.stdout).toMatch(new RegExp(`is named for ${victims.file}, but its owner uid ${uids[hal]} is ${hal}`));
    expect(check.stdout).toMatch(/is a FIFO, not a record file/);
    expect(check.stdout).toMatch(/is a symlink, not a record file/);
    expect(check.stdout).toMatch(/is a directory, not a record file/);
    // The victim's own file with a second name: the command finds the other names.
    const find = commands.filter((c) => c.startsWith('find '));
    expect(find).toHaveLength(1);

    // Root pastes each command, as printed, into bash.
    for (const c of removals) expect(sh('bash', ['-c', c]).status, c).toBe(0);
    for (const p of planted) expect(existsSync(p), p.toString()).toBe(false);
    // find walks the whole file system: a file another process removes meanwhile makes it exit 1 with the names
    // found still printed (seen when other suites ran at the same time), so only what it found is checked here.
    // It took 15 s on a quiet machine and over the old 60 s limit on a loaded CI one: it runs off the test worker.
    const found = await shAsync('bash', ['-c', find[0]!], 360_000);
    expect(found.timedOut, `${find[0]} still running after 360 s`).toBe(false);
    expect(found.status === 0 || (found.status === 1 && /No such file or directory/.test(found.stderr)), `status ${found.status}: ${found.stderr}`).toBe(true);
    const others = found.stdout.trim().split('\n');
    expect(others).toContain(join(base, 'linked-record'));
    for (const o of others) if (!o.startsWith(`${records}/`)) rmSync(o);
    // The victims' own files are all still there, and the course directory is clean again.
    for (const n of legit) expect(existsSync(join(records, n)), n).toBe(true);
    const again = as(ivy, eds('instructor check'));
    expect(again.stdout.trim()).toBe(`${course}: safe`);
    expect(again.status).toBe(0);
    const { json } = report();
    expect(attemptsOf(json.students)).toEqual(Object.fromEntries(Object.values(victims).map((v) => [v, given[v]])));
  }, 480_000);
});

describe('a course directory a student owns', () => {
  const init = (dir: string) => sh('node', [join(app, 'bin/eds.js'), 'instructor', 'init', dir, '--group', staff]);

  it('is refused by init, and so is one under a directory a student owns', () => {
    const theirs = join(base, 'their-course');
    mkdirSync(theirs);
    chownSync(theirs, uids[hal]!, -1);
    const r = init(theirs);
    expect(r.status).toBe(1);
    expect(r.stderr.split('\n')[0]).toBe(
      `eds: refusing ${theirs}: it belongs to ${hal} (uid ${uids[hal]}), who is neither root nor in ${staff} (gid ${statSync(course).gid}): they could replace records/ at any time`,
    );
    expect(readdirSync(theirs)).toEqual([]);

    const parent = join(base, 'their-parent');
    mkdirSync(parent, { mode: 0o755 });
    chownSync(parent, uids[hal]!, -1);
    const under = init(join(parent, 'course'));
    expect(under.status).toBe(1);
    expect(under.stderr.split('\n')[0]).toMatch(
      new RegExp(
        `^eds: refusing .*: ${parent} belongs to ${hal} \\(uid \\d+\\), who is neither root nor in ${staff}.*: they could replace the course directory inside it$`,
      ),
    );
    expect(existsSync(join(parent, 'course'))).toBe(false);
  });

  it("is unsafe for check; its owner's own records/ is caught by check, doctor and every student's tutor, which sends nothing into it", () => {
    const dir = join(base, 'course2');
    expect(init(dir).status).toBe(0);
    // As the earlier eds allowed: the directory belongs to a student (they made it, and init accepted it).
    chownSync(dir, uids[hal]!, -1);
    const check = as(ivy, eds(`instructor check --dir ${q(dir)}`));
    expect(check.status).toBe(1);
    expect(check.stdout).toContain(`unsafe: ${dir} belongs to ${hal} (uid ${uids[hal]}), who is neither root nor in ${staff}`);
    expect(init(dir).stderr.split('\n')[0]).toMatch(new RegExp(`^eds: refusing ${dir}: it belongs to ${hal}`));

    // The owner swaps records/ for a directory of their own, with the students' group.
    expect(as(hal, `cd ${q(dir)} && mv records records.old && mkdir records && chmod 3773 records`).status).toBe(0);
    const swapped = as(ivy, eds(`instructor check --dir ${q(dir)}`));
    expect(swapped.status).toBe(1);
    expect(swapped.stdout).toContain(`unsafe: ${join(dir, 'records')} belongs to ${hal} (uid ${uids[hal]}), who is neither root nor in ${staff}`);
    expect(swapped.stdout).toMatch(new RegExp(`unsafe: ${join(dir, 'records')} has the group ${students} \\(gid \\d+\\), not the course group ${staff}`));

    const v = victims.symlink;
    const before = given[v];
    const r = answer(v, 'a', ['q7'], { EDS_COURSE_DIR: dir });
    expect(r.warnings.join('\n')).toMatch(new RegExp(`not sending answers to the course directory: .*belongs to ${hal}.*kept here`));
    expect(readdirSync(join(dir, 'records'))).toEqual([]);
    given[v] = before!; // Kept in the victim's store, not in the course directory.
    const doctor = JSON.parse(as(v, eds('doctor --json'), { EDS_COURSE_DIR: dir }).stdout) as { course_problems: string[] };
    expect(doctor.course_problems.join('\n')).toMatch(new RegExp(`unsafe: ${dir} belongs to ${hal}`));
    expect(doctor.course_problems.join('\n')).toMatch(new RegExp(`unsafe: ${join(dir, 'records')} belongs to ${hal}`));
  }, 120_000);

  it("a course directory made for another group is refused by a tutor whose config file names the instructors' group", () => {
    // Made for the students' group (as a student who owned it could have rewritten it): consistent, but not the course's.
    const dir = join(base, 'course3');
    expect(sh('node', [join(app, 'bin/eds.js'), 'instructor', 'init', dir, '--group', students]).status).toBe(0);
    const v = victims.fifo;
    const config = join(homeOf(v), '.config', 'eds');
    expect(
      as(v, `mkdir -p ${q(config)} && printf '%s' ${q(JSON.stringify({ course_dir: dir, group: staff }))} > ${q(join(config, 'config.json'))}`).status,
    ).toBe(0);
    const r = answer(v, 'a', ['q8'], { EDS_COURSE_DIR: '' });
    given[v] = given[v]! - 1;
    expect(r.warnings.join('\n')).toMatch(
      new RegExp(`not sending answers to the course directory: ${dir} is for the group ${students} .*but the config file names ${staff}`),
    );
    expect(readdirSync(join(dir, 'records'))).toEqual([]);

    // A config file of the hostile student's, wherever it sits, is not used at all.
    const theirs = join(base, 'their-config');
    mkdirSync(join(theirs, 'eds'), { recursive: true });
    writeFileSync(join(theirs, 'eds', 'config.json'), JSON.stringify({ course_dir: join(base, 'their-course') }));
    chownSync(join(theirs, 'eds', 'config.json'), uids[hal]!, -1);
    sh('chmod', ['-R', 'a+rX', theirs]);
    const misled = answer(v, 'a', ['q9'], { EDS_COURSE_DIR: '', XDG_CONFIG_HOME: theirs });
    given[v] = given[v]! - 1;
    expect(misled.warnings.join('\n')).toMatch(new RegExp(`course directory not used: .*config\\.json: not used, it belongs to uid ${uids[hal]}`));
    // Root's, but the students' group may write it: as bad.
    chownSync(join(theirs, 'eds', 'config.json'), 0, Number(must('getent', ['group', students]).split(':')[2]));
    chmodSync(join(theirs, 'eds', 'config.json'), 0o664);
    const shared = answer(v, 'a', ['q10'], { EDS_COURSE_DIR: '', XDG_CONFIG_HOME: theirs });
    given[v] = given[v]! - 1;
    expect(shared.warnings.join('\n')).toMatch(/config\.json: not used, anyone besides root could change it \(mode 664; chmod go-w\)/);
  }, 60_000);
});
