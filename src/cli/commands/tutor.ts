// `eds`: opens the tutor at the student's next step (or prints the course map when there is no terminal).
import type { CommandModule } from 'yargs';
import { canRunTui, openForCli, prepareTui } from '../interactive.js';

export const tutorCommand: CommandModule = {
  command: '$0',
  describe: 'open the tutor where you left off',
  handler: async () => {
    const { services, store } = await openForCli();
    try {
      const { courseMap, resumePoint } = await import('../../tutor/course-map.js');
      const map = courseMap(services.lessons, services.store.allProgress());
      const resume = resumePoint(map, services.store.lastPosition());
      if (!canRunTui()) {
        const { plainCourseMap } = await import('../../tutor/plain.js');
        process.stdout.write(plainCourseMap(map, services.problems, resume));
        return;
      }
      prepareTui();
      const { runTui } = await import('../../tui/run.js');
      const last = services.store.lastPosition();
      // Reopen the lesson the student was in; a first visit (or a finished course) opens the map.
      const initial =
        last && resume && last.lesson === resume.lesson
          ? ({ name: 'lesson', lesson: resume.lesson, step: resume.step } as const)
          : ({ name: 'map', lesson: resume?.lesson ?? null } as const);
      await runTui(services, initial);
    } finally {
      store.close();
    }
  },
};
