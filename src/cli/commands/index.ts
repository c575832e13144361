// Every `eds` command, one module per file. Heavy work loads lazily inside each handler.
import type { CommandModule } from 'yargs';
import { tutorCommand } from './tutor.js';
import { startCommand } from './start.js';
import { lessonsCommand } from './lessons.js';
import { progressCommand } from './progress.js';
import { resetCommand } from './reset.js';
import { datasetsCommand } from './datasets.js';
import { runCommand } from './run.js';
import { demoCommand } from './demo.js';
import { doctorCommand } from './doctor.js';
import { featuresCommand } from './features.js';
import { instructorCommand } from './instructor.js';
import { projectCommand } from './project.js';
import { leaderboardCommand } from './leaderboard.js';
import { jobCommand } from './job.js';

// biome-ignore lint/suspicious/noExplicitAny: yargs types each command by its own arguments; a list of different commands has no narrower common type
export const commands: CommandModule<any, any>[] = [
  tutorCommand,
  startCommand,
  lessonsCommand,
  progressCommand,
  resetCommand,
  runCommand,
  datasetsCommand,
  demoCommand,
  doctorCommand,
  featuresCommand,
  projectCommand,
  leaderboardCommand,
  instructorCommand,
  jobCommand,
];
