// The lesson engine's public face: parse and check lesson files, grade answers, render lesson Markdown.
export type * from './types.js';
export {
  parseLesson,
  parseRegex,
  parseTolerance,
  parseNumericAnswer,
  parseWrong,
  QUESTION_TYPES,
  BLOCK_KINDS,
  FRONT_MATTER_FIELDS,
  DEFAULT_ATTEMPTS,
} from './parse.js';
export type { ParseResult } from './parse.js';
export { validateLesson, EXPERIMENT_TASKS } from './validate.js';
export { loadLessons, checkLessons, formatProblem, LESSONS_DIR } from './load.js';
export type { LoadedLessons, LessonCheck } from './load.js';
export { gradeAnswer } from './grade.js';
export { tokenize, parseMatch, parseSynonyms, ruleMatches, noContent, contentWords, DEFAULT_MIN_WORDS, MATCH_INPUT_LIMIT } from './text-match.js';
export type { Token, Synonyms } from './text-match.js';
export { regexProblem, safeRegexTest, REGEX_INPUT_LIMIT } from './regex-safety.js';
export { checkTextQuestion, MIN_EXAMPLES } from './text-check.js';
export { readNumber, withinTolerance, formatNumber, formatTolerance } from './numbers.js';
export type { ReadNumber } from './numbers.js';
export { renderMarkdown, plainLesson } from './markdown.js';
export type { PlainLessonOptions } from './markdown.js';
export { displayWidth, toAscii, graphemes, graphemeWidth } from '../util/text.js';
