// The names of the real lidar scans shipped with eds, apart from their reader so the task declarations can list
// them without loading it.

/** The real scans a lidar task can run on (`scene=real-dunes`), as the lessons name them. */
export const REAL_LIDAR_SCANS = ['real-dunes', 'real-ski-tree'] as const;
/** One of {@link REAL_LIDAR_SCANS}. */
export type RealLidarScan = (typeof REAL_LIDAR_SCANS)[number];

/** Whether a scene name is a real scan. */
export function isRealScan(name: string): name is RealLidarScan {
  return (REAL_LIDAR_SCANS as readonly string[]).includes(name);
}
