// `eds instructor init|check|report|show|watch|export`: lay out the shared course directory and read the class's records.
import type { CommandModule } from 'yargs';
import { UsageError, UserError } from '../errors.js';

interface DirArgs {
  dir?: string;
}
interface InitArgs {
  path?: string;
  group?: string;
}
interface ReportArgs extends DirArgs {
  lesson?: string;
  json?: boolean;
  csv?: boolean;
  by?: 'student' | 'question';
}
interface ShowArgs extends DirArgs {
  student?: string;
  json?: boolean;
}
interface WatchArgs extends DirArgs {
  lesson?: string;
  interval: number;
}

const dirOption = {
  type: 'string',
  describe: 'the course directory (default: EDS_COURSE_DIR, else the config file)',
} as const;

/** The course directory to read: --dir, else the configured one; a clear line when there is none. */
async function courseDir(args: DirArgs): Promise<string> {
  const { resolve } = await import('node:path');
  if (args.dir) return resolve(args.dir);
  const { resolveCourseDir, configFiles } = await import('../../course/config.js');
  const setting = resolveCourseDir();
  if (!setting) {
    throw new UserError('no course directory configured', { hint: `pass --dir DIR, set EDS_COURSE_DIR, or write {"course_dir": "DIR"} to ${configFiles()[1] ?? configFiles()[0]}` });
  }
  return setting.dir;
}

/** The installed lessons' steps, so progress reads as done/total; an unreadable lesson just loses its total. */
async function outlines() {
  const { loadLessons } = await import('../../lessons/index.js');
  return loadLessons(process.env.EDS_LESSONS_DIR || undefined).lessons.map((l) => ({
    id: l.id,
    steps: l.steps.map((s) => s.id),
    questions: l.steps.filter((s) => s.kind === 'question').map((s) => s.id),
  }));
}

function warnProblems(problems: readonly string[]): void {
  const shown = problems.slice(0, 20);
  for (const p of shown) process.stderr.write(`eds: ${p}\n`);
  if (problems.length > shown.length) process.stderr.write(`eds: … and ${problems.length - shown.length} more problems\n`);
}

const initCommand: CommandModule<object, InitArgs> = {
  command: 'init <path>',
  describe: 'lay out a course directory: students add their own records, only GROUP reads them',
  builder: (y) =>
    y
      .positional('path', { type: 'string', describe: 'the course directory (created if absent)' })
      .option('group', { type: 'string', demandOption: true, describe: "the instructors' Unix group (name or gid)" }) as never,
  handler: async (args) => {
    if (!args.path) throw new UsageError('say where: eds instructor init DIR --group GROUP');
    if (!args.group) throw new UsageError('say which group reads the records: --group GROUP');
    const { initCourseDir, RECORDS_MODE } = await import('../../course/layout.js');
    const r = initCourseDir(args.path, args.group);
    const what = r.created ? 'laid out' : 'already a safe course directory:';
    process.stdout.write(
      `${what} ${r.dir}\n  records: ${r.records} (mode ${RECORDS_MODE.toString(8)}, group ${args.group})\n` +
        `  students: export EDS_COURSE_DIR=${r.dir}, or put {"course_dir": "${r.dir}"} in <prefix>/etc/eds/config.json or /etc/eds/config.json\n`,
    );
  },
};

const checkCommand: CommandModule<object, DirArgs> = {
  command: 'check',
  describe: "check the course directory's permissions (exit 1 if records could leak)",
  builder: (y) => y.option('dir', dirOption) as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { checkCourseDir } = await import('../../course/layout.js');
    const check = checkCourseDir(dir);
    for (const p of check.problems) process.stdout.write(`${p.severity}: ${p.message}\n`);
    if (check.problems.length === 0) process.stdout.write(`${check.dir}: safe\n`);
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
      .option('json', { type: 'boolean', describe: 'print JSON: {students, questions, problems}' })
      .option('csv', { type: 'boolean', describe: 'print one table as CSV (see --by)' })
      .option('by', { choices: ['student', 'question'] as const, describe: 'which table (CSV default: student; text: both)' })
      .conflicts('json', 'csv') as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { readCourseRecords, buildReport, formatStudents, formatQuestions, studentsCsv, questionsCsv } = await import('../../course/report.js');
    const data = readCourseRecords(dir);
    const report = buildReport(data, { lesson: args.lesson, lessons: await outlines() });
    if (args.json) {
      const out = args.by === 'student' ? { students: report.students, problems: report.problems } : args.by === 'question' ? { questions: report.questions, problems: report.problems } : report;
      process.stdout.write(JSON.stringify(out, null, 2) + '\n');
      return;
    }
    warnProblems(report.problems);
    if (args.csv) {
      process.stdout.write(args.by === 'question' ? questionsCsv(report.questions) : studentsCsv(report.students));
      return;
    }
    const parts: string[] = [];
    if (args.by !== 'question') parts.push(`Students (${report.students.length}, ${data.files} record files)\n` + formatStudents(report.students));
    if (args.by !== 'student') parts.push(`Questions, hardest first (${report.questions.length})\n` + formatQuestions(report.questions));
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
    const { readCourseRecords, formatStudentLog } = await import('../../course/report.js');
    const data = readCourseRecords(dir);
    const mine = (r: { user: string }) => r.user === args.student;
    const attempts = data.attempts.filter(mine);
    const steps = data.steps.filter(mine);
    if (attempts.length + steps.length === 0) {
      const known = [...new Set(data.attempts.map((a) => a.user))].sort().slice(0, 10).join(', ');
      throw new UserError(`no records for ${args.student} in ${dir}`, known ? { hint: `students with records: ${known}` } : {});
    }
    if (args.json) {
      process.stdout.write(JSON.stringify({ attempts, steps }, null, 2) + '\n');
      return;
    }
    warnProblems(data.problems.filter((p) => p.includes(`/${args.student}.`)));
    process.stdout.write(formatStudentLog(data, args.student));
  },
};

const exportCommand: CommandModule<object, DirArgs> = {
  command: 'export',
  describe: 'every record (attempts and finished steps) as CSV on stdout',
  builder: (y) => y.option('dir', dirOption) as never,
  handler: async (args) => {
    const dir = await courseDir(args);
    const { readCourseRecords, recordsCsv } = await import('../../course/report.js');
    const data = readCourseRecords(dir);
    warnProblems(data.problems);
    process.stdout.write(recordsCsv(data));
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
    const { readCourseRecords, buildReport, formatStudents, formatQuestions } = await import('../../course/report.js');
    const lessons = await outlines();
    const cache = new Map<string, import('../../course/report.js').CachedFile>();
    const frame = (): string => {
      const data = readCourseRecords(dir, { cache });
      const r = buildReport(data, { lesson: args.lesson, lessons });
      const stamp = new Date().toISOString().slice(0, 19).replace('T', ' ');
      const problems = r.problems.length ? `\n${r.problems.length} damaged or refused lines (eds instructor report shows them)\n` : '';
      return `${dir} at ${stamp}: ${r.students.length} students, ${data.attempts.length} answers\n\n${formatStudents(r.students)}\n${formatQuestions(r.questions.slice(0, 10))}${problems}`;
    };
    if (!process.stdout.isTTY) {
      process.stdout.write(frame());
      return;
    }
    let last = '';
    const draw = () => {
      const text = frame();
      if (text === last) return;
      last = text;
      // Home, clear screen, draw: plain escapes, cheap over SSH, no terminal library needed.
      process.stdout.write('\x1b[H\x1b[2J' + text + '\n(q or Ctrl-C to quit)\n');
    };
    draw();
    await new Promise<void>((done) => {
      const timer = setInterval(() => {
        try {
          draw();
        } catch (err) {
          // The directory went away or became unreadable: say so on the screen and keep looking.
          last = '';
          process.stdout.write(`\x1b[H\x1b[2Jeds: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      }, args.interval * 1000);
      const stop = () => {
        clearInterval(timer);
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
  describe: "the class's records: set up the course directory, reports, one student's log, live view, CSV export",
  builder: (y) =>
    y
      .command(initCommand as CommandModule<object, InitArgs>)
      .command(checkCommand as CommandModule<object, DirArgs>)
      .command(reportCommand as CommandModule<object, ReportArgs>)
      .command(showCommand as CommandModule<object, ShowArgs>)
      .command(watchCommand as CommandModule<object, WatchArgs>)
      .command(exportCommand as CommandModule<object, DirArgs>)
      .demandCommand(1, 'say which: eds instructor init|check|report|show|watch|export') as never,
  handler: () => {},
};
