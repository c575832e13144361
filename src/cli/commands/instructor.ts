// `eds instructor init|check|report|show|watch|export|leaderboard|review`: lay out the shared course directory and read the class's records.
import type { CommandModule } from 'yargs';
import { UsageError, UserError } from '../../errors.js';
import { courseDir, reviewCommand, type ReviewArgs } from './instructor-review.js';
import { safeLine } from '../../util/safe-text.js';

interface DirArgs {
  dir?: string;
}
interface InitArgs {
  path?: string;
  group?: string;
  slurmPartition?: string;
  slurmGres?: string;
  slurmTime?: string;
  slurmAccount?: string;
}
interface ReportArgs extends DirArgs {
  lesson?: string;
  json?: boolean;
  csv?: boolean;
  by?: 'student' | 'question';
}
interface ExportArgs extends DirArgs {
  json?: boolean;
}
interface ShowArgs extends DirArgs {
  student?: string;
  json?: boolean;
}
interface LeaderboardArgs extends DirArgs {
  publish?: boolean;
  names?: boolean;
  json?: boolean;
  verify?: boolean;
  top: number;
}
interface WatchArgs extends DirArgs {
  lesson?: string;
  interval: number;
}

const dirOption = {
  type: 'string',
  describe: 'the course directory (default: EDS_COURSE_DIR, else the config file)',
} as const;

type Lesson = import('../../lessons/types.js').Lesson;

/** The installed lessons (`EDS_LESSONS_DIR`, else the packaged ones); a command that needs them twice reads them once. */
async function installedLessons(): Promise<Lesson[]> {
  const { loadLessons } = await import('../../lessons/index.js');
  return loadLessons(process.env.EDS_LESSONS_DIR || undefined).lessons;
}

/** The lessons' steps, so progress reads as done/total; an unreadable lesson just loses its total. */
function outlinesOf(lessons: readonly Lesson[]) {
  return lessons.map((l) => ({
    id: l.id,
    steps: l.steps.map((s) => s.id),
    questions: l.steps.filter((s) => s.kind === 'question').map((s) => s.id),
  }));
}

/**
 * The class's records as every instructor command reads them: predictions an older eds logged as `correct: null`
 * are read as the screen showed them (see course/legacy.ts).
 */
async function classRecords(dir: string, options: import('../../course/class-report.js').ReadOptions = {}, lessons?: readonly Lesson[]) {
  return (await classReader(lessons))(dir, options);
}

/** `classRecords` as a synchronous reader, for `watch`'s redraw loop: the lessons are read once. */
async function classReader(lessons?: readonly Lesson[]) {
  const { readCourseRecords } = await import('../../course/class-report.js');
  const { questionIndex, regradeLegacyPredictions } = await import('../../course/legacy.js');
  const questions = questionIndex(lessons ?? (await installedLessons()));
  return (dir: string, options: import('../../course/class-report.js').ReadOptions = {}) =>
    regradeLegacyPredictions(readCourseRecords(dir, options), questions);
}

/** `1 student`, `2 students`. */
function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Writes text given in pieces, a megabyte at a time: the whole may be longer than one string can be. */
function writeChunks(chunks: Iterable<string>): void {
  let buffered: string[] = [];
  let size = 0;
  for (const c of chunks) {
    buffered.push(c);
    size += c.length;
    if (size >= 1 << 20) {
      process.stdout.write(buffered.join(''));
      buffered = [];
      size = 0;
    }
  }
  if (buffered.length) process.stdout.write(buffered.join(''));
}

function warnProblems(problems: readonly string[]): void {
  const shown = problems.slice(0, 20);
  // Problems name files and quote records: a student chose those bytes.
  for (const p of shown) process.stderr.write(`eds: ${safeLine(p, 4000)}\n`);
  // Each file's own count ("… and N more problems in FILE") is said even when its lines were not.
  const counts = problems
    .slice(shown.length)
    .filter((p) => p.startsWith('… and '))
    .slice(0, 20);
  for (const p of counts) process.stderr.write(`eds: ${safeLine(p, 4000)}\n`);
  const rest = problems.length - shown.length - counts.length;
  if (rest > 0) process.stderr.write(`eds: … and ${rest} more problems\n`);
}

const initCommand: CommandModule<object, InitArgs> = {
  command: 'init <path>',
  describe: 'lay out a course directory: students add their own records, only GROUP reads them',
  builder: (y) =>
    y
      .positional('path', { type: 'string', describe: 'the course directory (created if absent)' })
      .option('group', { type: 'string', demandOption: true, describe: "the instructors' Unix group (name or gid)" })
      .option('slurm-partition', {
        type: 'string',
        group: 'Slurm (students run experiments as jobs):',
        describe: "the partition students' experiment jobs go to; turns Slurm on for the course",
      })
      .option('slurm-gres', { type: 'string', group: 'Slurm (students run experiments as jobs):', describe: 'generic resources per job, e.g. gpu:1' })
      .option('slurm-time', { type: 'string', group: 'Slurm (students run experiments as jobs):', describe: 'time limit per job, e.g. 00:30:00' })
      .option('slurm-account', { type: 'string', group: 'Slurm (students run experiments as jobs):', describe: 'the account jobs are charged to' }) as never,
  handler: async (args) => {
    if (!args.path) throw new UsageError('say where: eds instructor init DIR --group GROUP');
    if (!args.group) throw new UsageError('say which group reads the records: --group GROUP');
    const { initCourseDir, RECORDS_MODE } = await import('../../course/layout.js');
    const { safeLine } = await import('../../util/safe-text.js');
    const slurm = await slurmFlags(args);
    const r = initCourseDir(args.path, args.group, slurm ? { slurm } : {});
    const what = r.created ? 'laid out' : 'already a safe course directory:';
    // The group in the config file lets each student's tutor refuse a course directory made for another group.
    const config = JSON.stringify({ course_dir: r.dir, group: args.group });
    process.stdout.write(
      safeLine(`${what} ${r.dir}`, 4000) +
        `\n  records: ${safeLine(r.records, 4000)} (mode ${RECORDS_MODE.toString(8)}, group ${safeLine(args.group)})\n` +
        `  students: export EDS_COURSE_DIR=${safeLine(r.dir, 4000)}, or put ${safeLine(config, 4000)} in <prefix>/etc/eds/config.json or /etc/eds/config.json\n` +
        (slurm
          ? `  slurm: students' experiments run as jobs (${Object.entries(slurm)
              .map(([k, v]) => `${k} ${String(v)}`)
              .join(', ')}); eds doctor, as a student, says whether they may use it\n`
          : ''),
    );
  },
};

/** The Slurm settings `init` was given, checked as course.json will hold them; null without --slurm-partition. */
async function slurmFlags(args: InitArgs): Promise<import('../../course/slurm-defaults.js').SlurmDefaults | null> {
  const given = { gres: args.slurmGres, time: args.slurmTime, account: args.slurmAccount };
  if (args.slurmPartition === undefined) {
    const stray = Object.entries(given).find(([, v]) => v !== undefined);
    if (stray) throw new UsageError(`--slurm-${stray[0]} needs --slurm-partition: say which partition the class's jobs go to`);
    return null;
  }
  const { slurmSettingProblem } = await import('../../course/slurm-defaults.js');
  const out: Record<string, string> = {};
  for (const [field, value] of Object.entries({ partition: args.slurmPartition, ...given })) {
    if (value === undefined) continue;
    const problem = slurmSettingProblem(field as 'partition', String(value));
    if (problem) throw new UsageError(`--slurm-${problem}`);
    out[field] = String(value);
  }
  return out;
}

const checkCommand: CommandModule<object, DirArgs> = {
  command: 'check',
  describe: "check the course directory's permissions and owners, and name planted files with the command that removes each (exit 1 if records could leak)",
  builder: (y) => y.option('dir', dirOption) as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { checkCourseDir, groupId } = await import('../../course/layout.js');
    const { resolveCourseDir } = await import('../../course/config.js');
    const { safeLine } = await import('../../util/safe-text.js');
    // The configured directory's group, when the config file pins one; --dir names a directory on its own.
    const pinned = args.dir ? undefined : resolveCourseDir()?.group;
    const check = checkCourseDir(dir, { instructor: true, ...(pinned !== undefined ? { gid: groupId(pinned) } : {}) });
    for (const p of check.problems) {
      process.stdout.write(`${p.severity}: ${safeLine(p.message, 4000)}\n`);
      // Printable ASCII only (see shellQuote), so it is pasted as it reads.
      if (p.command) process.stdout.write(`  as root: ${safeLine(p.command, 8000)}\n`);
    }
    if (check.problems.length === 0) process.stdout.write(`${safeLine(check.dir, 4000)}: safe\n`);
    else process.exitCode = 1;
  },
};

const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report',
  describe: 'per-student progress and per-question success, hardest questions first',
  builder: (y) =>
    y
      .option('dir', dirOption)
      .option('lesson', { type: 'string', describe: 'only this lesson' })
      .option('json', { type: 'boolean', describe: 'print JSON: {students, questions, problems, files, times_left_out}' })
      .option('csv', { type: 'boolean', describe: 'print one table as CSV (see --by)' })
      .option('by', { choices: ['student', 'question'] as const, describe: 'which table (CSV default: student; text: both)' })
      .conflicts('json', 'csv') as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { reportCourse, formatStudents, formatQuestions, studentsCsv, questionsCsv, formatLeftOut, formatTimesLeftOut, formatUnknownQuestions } =
      await import('../../course/class-report.js');
    const { questionIndex } = await import('../../course/legacy.js');
    const { safeJsonChunks } = await import('../../util/safe-json.js');
    const installed = await installedLessons();
    // One student at a time (a thread per core for a large class): a gigabyte class in the memory of a few students' records.
    const { report, files } = await reportCourse(dir, { lesson: args.lesson, lessons: outlinesOf(installed), questions: questionIndex(installed) });
    if (args.json) {
      const extra = { files: report.files, times_left_out: report.times_left_out };
      const out =
        args.by === 'student'
          ? { students: report.students, problems: report.problems, ...extra }
          : args.by === 'question'
            ? { questions: report.questions, problems: report.problems, ...extra }
            : report;
      writeChunks(safeJsonChunks(out, 2));
      process.stdout.write('\n');
      return;
    }
    warnProblems(report.problems);
    if (args.csv) {
      process.stdout.write(args.by === 'question' ? questionsCsv(report.questions) : studentsCsv(report.students));
      return;
    }
    const parts: string[] = [];
    if (args.by !== 'question') parts.push(`Students (${report.students.length}, ${files} record files)\n` + formatStudents(report.students));
    if (args.by !== 'student') parts.push(`Questions, hardest first (${report.questions.length})\n` + formatQuestions(report.questions));
    // Said on stdout, with the tables: a student missing from them must not go unnoticed.
    const notes =
      (args.by !== 'student' ? formatUnknownQuestions(report.questions) : '') + formatTimesLeftOut(report.times_left_out) + formatLeftOut(report.files);
    if (notes) parts.push(notes);
    process.stdout.write(parts.join('\n'));
  },
};

const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <student>',
  describe: "one student's full log, free-text answers included",
  builder: (y) =>
    y
      .positional('student', { type: 'string', describe: 'the login' })
      .option('dir', dirOption)
      .option('json', { type: 'boolean', describe: 'print JSON: {attempts, steps}' }) as never,
  handler: async (args) => {
    if (!args.student) throw new UsageError('say which student: eds instructor show LOGIN');
    const dir = await courseDir(args);
    const { formatStudentLog, formatLeftOut } = await import('../../course/class-report.js');
    const { safeJsonChunks } = await import('../../util/safe-json.js');
    const data = await classRecords(dir);
    const student = args.student;
    const mine = (r: { user: string }) => r.user === student;
    const attempts = data.attempts.filter(mine);
    const steps = data.steps.filter(mine);
    // Their files: those counted for them, and those named for them but left out (planted, unreadable, …).
    const files = data.sources.filter((s) => s.student === student || (s.status !== 'read' && s.named === student));
    if (attempts.length + steps.length === 0) {
      const known = [...new Set(data.attempts.map((a) => a.user))].sort().slice(0, 10).join(', ');
      const leftOut = files.filter((s) => s.status !== 'read').map((s) => `${s.file} (${s.why})`);
      const hint = leftOut.length ? `files named for them were left out: ${leftOut.slice(0, 3).join('; ')}` : known ? `students with records: ${known}` : '';
      throw new UserError(safeLine(`no records for ${student} in ${dir}`, 4000), hint ? { hint: safeLine(hint, 4000) } : {});
    }
    if (args.json) {
      // A free-text answer with no verdict yet is marked: its `correct` is the student's own y/n, not a grade.
      const { pendingReview } = await import('../../course/review.js');
      const marked = attempts.map((a) => (pendingReview(a) ? { ...a, pending_review: true } : a));
      writeChunks(safeJsonChunks({ attempts: marked, steps, files }, 2));
      process.stdout.write('\n');
      return;
    }
    const paths = files.map((s) => `${s.file}:`);
    warnProblems(data.problems.filter((p) => paths.some((f) => p.startsWith(f)) || files.some((s) => p.endsWith(` in ${s.file}`))));
    const leftOut = formatLeftOut(files);
    if (leftOut) process.stderr.write(leftOut);
    process.stdout.write(formatStudentLog(data, args.student));
  },
};

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'every record (attempts and finished steps) as CSV on stdout',
  builder: (y) => y.option('dir', dirOption).option('json', { type: 'boolean', describe: 'print JSON instead: {attempts, steps, problems, files}' }) as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { recordsCsvLines } = await import('../../course/class-report.js');
    const data = await classRecords(dir);
    // In pieces: a class's whole export can be longer than the longest string JavaScript holds.
    if (args.json) {
      const { safeJsonChunks } = await import('../../util/safe-json.js');
      writeChunks(safeJsonChunks({ attempts: data.attempts, steps: data.steps, problems: data.problems, files: data.sources }, 2));
      process.stdout.write('\n');
      return;
    }
    warnProblems(data.problems);
    writeChunks(recordsCsvLines(data));
  },
};

const leaderboardCommand: CommandModule<object, LeaderboardArgs> = {
  command: 'leaderboard',
  describe: 'the class ranking of the digits leaderboard; --publish shows it to the students (anonymous unless --names)',
  builder: (y) =>
    y
      .option('dir', dirOption)
      .option('publish', { type: 'boolean', describe: `write it to DIR/leaderboard.json, where every student's eds reads it` })
      .option('names', { type: 'boolean', describe: 'publish logins too (by default students see ranks, not names, and find their own line)' })
      .option('top', { type: 'number', default: 20, describe: 'entries printed (with --verify: entries to verify)' })
      .option('verify', {
        type: 'boolean',
        describe: 're-train the best entries here from their logged configuration and seed; publish only those that reproduce, mark the rest unverified',
      })
      .option('json', { type: 'boolean', describe: 'print the ranking as JSON (the published file format)' }) as never,
  handler: async (args) => {
    if (!(Number.isInteger(args.top) && args.top >= 1)) throw new UsageError(`--top must be a whole number >= 1, got ${args.top}`);
    if (args.names && !args.publish) throw new UsageError('--names only changes what --publish writes: add --publish');
    const dir = await courseDir(args);
    const { buildRanking, formatRanking } = await import('../../leaderboard/ranking.js');
    const data = await classRecords(dir);
    const now = new Date();
    // The instructor always sees names; what the class sees depends on --names.
    let { ranking, problems } = buildRanking(data.attempts, { names: true, now });
    if (args.verify) {
      // The student's record is their own word: train each candidate again before the class sees it.
      const { verifyLogged, retrainDigits } = await import('../../experiments/leaderboard-verify.js');
      ({ ranking, problems } = await verifyLogged(data.attempts, retrainDigits, {
        top: args.top,
        now,
        onProgress: (line) => process.stderr.write(`${line}\n`),
      }));
    }
    const published = args.names ? ranking : { ...ranking, entries: ranking.entries.map(({ student: _student, ...e }) => e) };
    if (args.json) {
      const { safeJson } = await import('../../util/safe-json.js');
      process.stdout.write(safeJson(published, 2) + '\n');
      if (args.verify) warnProblems(problems);
    } else {
      warnProblems([...data.problems, ...problems]);
      if (ranking.entries.length === 0) process.stdout.write('No qualifying digits runs yet (at least 95 % test accuracy, under 5 minutes of training).\n');
      else {
        const w = ranking.entries[0]!;
        const hidden = w.hiddenUnits !== undefined ? ` --hidden ${safeLine(w.hiddenUnits, 6)}` : '';
        // The shape the entry declares (checked whole numbers): an entry without one is the default CNN.
        const shape = w.model === 'cnn' && w.filters && w.pool ? ` --filters ${w.filters.join(',')} --pool ${w.pool.join(',')}` : '';
        process.stdout.write(
          `Digits leaderboard: ${ranking.entries.length} students, fewest parameters first\n\n${formatRanking(ranking, null, { top: args.top })}\n\n` +
            `Check the winner by training it again (same seed and backend, same numbers):\n  eds run train --model ${w.model}${hidden}${shape} --epochs ${w.epochs} --batch ${w.batchSize} --lr ${w.learningRate} --seed ${w.seed}\n`,
        );
      }
    }
    if (args.publish) {
      const { publishRanking } = await import('../../course/ranking-file.js');
      const path = publishRanking(dir, published);
      process.stderr.write(
        `published ${path} (${published.entries.length} entries, ${args.names ? 'with logins' : 'anonymous'}): students see it in the neural lesson and with eds leaderboard\n`,
      );
    }
  },
};

const watchCommand: CommandModule<object, WatchArgs> = {
  command: 'watch',
  describe: 'a live view of the class, redrawn as records arrive (without a terminal: printed once)',
  builder: (y) =>
    y
      .option('dir', dirOption)
      .option('lesson', { type: 'string', describe: 'only this lesson' })
      .option('interval', { type: 'number', default: 2, describe: 'seconds between looks at the records' }) as never,
  handler: async (args) => {
    if (!(args.interval > 0)) throw new UsageError(`--interval must be a positive number of seconds, got ${args.interval}`);
    const dir = await courseDir(args);
    const { buildReport, formatStudents, formatQuestions, formatTimesLeftOut, formatUnknownQuestions } = await import('../../course/class-report.js');
    const installed = await installedLessons();
    const lessons = outlinesOf(installed);
    const cache = new Map<string, import('../../course/class-report.js').CachedFile>();
    const read = await classReader(installed);
    // The class as text; the time is left out so that an unchanged class is not redrawn (nothing sent over SSH).
    const body = (): string => {
      const data = read(dir, { cache });
      const r = buildReport(data, { lesson: args.lesson, lessons });
      // Every refused line, not only those named: a file's list stops at 20 and says how many more.
      const refused = r.files.reduce((n, f) => n + f.problems, 0);
      const problems = refused ? `\n${plural(refused, 'damaged or refused line')} (eds instructor report shows them)\n` : '';
      const leftOut = r.files.filter((f) => f.status !== 'read' || f.unread_bytes > 0).length;
      const notes =
        formatUnknownQuestions(r.questions) +
        formatTimesLeftOut(r.times_left_out) +
        (leftOut
          ? `${plural(leftOut, 'record file')} left out or read in part (foreign, unreadable, not regular files, over a student's limit; eds instructor report names them)\n`
          : '');
      // The lessons' own questions sort first: made-up ones fill the ten lines only when the lessons have fewer.
      const hardest = r.questions.slice(0, 10);
      return `${plural(r.students.length, 'student')}, ${plural(data.attempts.length, 'answer')}\n\n${formatStudents(r.students)}\n${formatQuestions(hardest)}${problems}${notes}`;
    };
    const stamp = () => new Date().toISOString().slice(0, 19).replace('T', ' ');
    if (!process.stdout.isTTY) {
      process.stdout.write(`${dir} at ${stamp()}: ${body()}`);
      return;
    }
    const { fitScreen } = await import('../../render/text.js');
    let last = '';
    const draw = (force = false) => {
      const text = body();
      if (text === last && !force) return;
      last = text;
      const [counts, ...rest] = text.trimEnd().split('\n');
      const lines = [`${counts} (changed at ${stamp()})`, dir, ...rest];
      const columns = process.stdout.columns || 80;
      const rows = (process.stdout.rows || 24) - 1;
      const screen = fitScreen(lines, columns, rows - 1, (n) => `… ${n} more lines: a taller terminal, --lesson, or eds instructor report`);
      // Home, clear screen, draw: plain escapes, cheap over SSH, no terminal library needed.
      process.stdout.write('\x1b[H\x1b[2J' + screen + '\n(q or Ctrl-C to quit)');
    };
    const redraw = (force = false) => {
      try {
        draw(force);
      } catch (err) {
        // The directory went away or became unreadable: say so on the screen and keep looking.
        last = '';
        process.stdout.write(`\x1b[H\x1b[2Jeds: ${safeLine(err instanceof Error ? err.message : String(err), 4000)}\n`);
      }
    };
    const onResize = () => redraw(true);
    process.stdout.on('resize', onResize);
    draw();
    await new Promise<void>((done) => {
      const timer = setInterval(() => redraw(), args.interval * 1000);
      const stop = () => {
        clearInterval(timer);
        process.stdout.off('resize', onResize);
        process.stdout.write('\n');
        if (process.stdin.isTTY) process.stdin.setRawMode(false);
        process.stdin.pause();
        done();
      };
      process.once('SIGINT', stop);
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(true);
        process.stdin.resume();
        process.stdin.on('data', (b: Buffer) => {
          const k = b.toString();
          if (k === 'q' || k === '\x03') stop();
        });
      }
    });
  },
};

export const instructorCommand: CommandModule<object, object> = {
  command: 'instructor',
  describe: "the class's records: set up the course directory, reports, one student's log, live view, CSV export, leaderboard, review of free-text answers",
  builder: (y) =>
    y
      .command(initCommand as CommandModule<object, InitArgs>)
      .command(checkCommand as CommandModule<object, DirArgs>)
      .command(reportCommand as CommandModule<object, ReportArgs>)
      .command(showCommand as CommandModule<object, ShowArgs>)
      .command(watchCommand as CommandModule<object, WatchArgs>)
      .command(exportCommand as CommandModule<object, ExportArgs>)
      .command(leaderboardCommand as CommandModule<object, LeaderboardArgs>)
      .command(reviewCommand as CommandModule<object, ReviewArgs>)
      .demandCommand(1, 'say which: eds instructor init|check|report|show|watch|export|leaderboard|review') as never,
  handler: () => {},
};
