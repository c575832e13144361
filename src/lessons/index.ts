// The lesson engine's public face: parse and check lesson files, grade answers, render lesson Markdown.
export type * from './types.js';
export { parseLesson, parseRegex, parseTolerance, parseNumericAnswer, parseWrong, QUESTION_TYPES, BLOCK_KINDS, FRONT_MATTER_FIELDS, DEFAULT_ATTEMPTS } from './parse.js';
export type { ParseResult } from './parse.js';
export { validateLesson, EXPERIMENT_TASKS } from './validate.js';
export { loadLessons, checkLessons, formatProblem, LESSONS_DIR } from './load.js';
export type { LoadedLessons, LessonCheck } from './load.js';
export { gradeAnswer } from './grade.js';
export { readNumber, withinTolerance, formatNumber, formatTolerance } from './numbers.js';
export type { ReadNumber } from './numbers.js';
export { renderMarkdown, plainLesson } from './markdown.js';
export type { PlainLessonOptions } from './markdown.js';
export { displayWidth, toAscii, graphemes, graphemeWidth } from '../util/text.js';
