// Run by the bench in a process of its own, so that its peak memory is the report's: `node report-child.js DIR`
// prints {seconds, max_rss_mb, students, files} for `reportCourse` over DIR (owners not checked: synthetic files).
import { reportCourse } from '../course/class-report.js';

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: report-child.js COURSE_DIR\n');
  process.exit(2);
}
const t0 = performance.now();
const { report, files } = await reportCourse(dir, { verifyOwners: false });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(
  `${JSON.stringify({ seconds, max_rss_mb: process.resourceUsage().maxRSS / 1024, students: report.students.length, files, problems: report.problems.length })}\n`,
);
