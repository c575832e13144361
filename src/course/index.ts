// The course directory: layout and permission checks, the students' record sink, and the instructors' reports.
export { resolveCourseDir, configFiles, installPrefix, readConfig, type CourseDirSetting, type EdsConfigFile } from './config.js';
export { checkCourseDir, initCourseDir, groupId, COURSE_FILE, RANKING_FILE, RECORDS_DIR, RECORDS_MODE, RECORD_FILE_MODE } from './layout.js';
export type { CourseDirCheck, CourseProblem, CourseDescription, InitResult } from './layout.js';
export { formatRecord, parseRecordLine, attemptRecord, MAX_LINE_BYTES, type CourseRecord, type AttemptRecord, type StepRecord } from './record.js';
export { withCourseSink, CourseStore, appendLines, recordFileName, SENT_SETTING, type SentWatermark, type FlushResult } from './sink.js';
export { readCourseRecords, buildReport, type ClassReport, type StudentRow, type QuestionRow, type CourseRecords, type LessonOutline } from './class-report.js';
export { publishRanking, readPublishedRanking, type PublishedRankingRead } from './ranking-file.js';
