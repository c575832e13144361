// A reading thread of `eds instructor report` (class-report.ts reportCourse): reads its share of the students'
// record files, whole students, and sends back its part of the report.
import { parentPort, workerData } from 'node:worker_threads';
import { reportPart, type ReportJob } from './class-report.js';

parentPort!.postMessage(reportPart(workerData as ReportJob));
