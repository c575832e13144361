// Answers questions as a student through the tutor's services, then says what the course sink saw (run under runuser by hostile.test.ts).
// argv: <package root> <JSON: [[lesson, question, answer, correct, seconds], …]>
// Prints JSON: {warnings, files: the course_file setting, sent: the course_sent setting, seconds: how long it took}.
const started = Date.now();
const [root, answersJson] = process.argv.slice(2);
const { openServices } = await import(`${root}/dist/tutor/open-services.js`);
const { store, warnings } = await openServices();
for (const [lesson, question, answer, correct, seconds] of JSON.parse(answersJson)) {
  store.recordAttempt({ lesson, question, answer, correct, secondsSpent: seconds, seed: null });
}
const said = [...warnings, ...store.warnings.filter((w) => !warnings.includes(w))];
const setting = (key) => {
  const v = store.setting(key);
  return v ? JSON.parse(v) : null;
};
process.stdout.write(
  JSON.stringify({ warnings: said, files: setting('course_file'), sent: setting('course_sent'), seconds: (Date.now() - started) / 1000 }) + '\n',
);
store.close();
