import { defineConfig } from 'vitest/config';

// Four kinds of test, each its own vitest project (`npm run test:unit`, `test:reference`, `test:e2e`, `test:system`;
// plain `vitest run` runs them all). A file is classified by its folder or name: a new test lands in unit unless it is
// under test/e2e/ or named *.reference.test.ts / *.system.test.ts (or listed below).

/** Numbers checked against scikit-learn's and PyTorch's, from the committed fixtures (test/fixtures) or a local Python. */
const REFERENCE = [
  'test/**/*.reference.test.{ts,tsx}',
  'test/ml/{classify,cluster,metrics,regression}.test.ts',
  'test/nn/{torch-reference,cnn-arch}.test.ts',
  'test/project/sklearn.test.ts',
];
/** A real terminal: tmux driving bin/eds.js (needs `npm run build`). */
const E2E = ['test/e2e/**/*.test.{ts,tsx}'];
/** The real system: Unix users made with useradd and run with runuser, the class-wide install (root only). */
const SYSTEM = ['test/**/*.system.test.{ts,tsx}', 'test/course/{users,hostile,hostile-class,review-users,install}.test.ts'];
const ALL = ['test/**/*.test.{ts,tsx}'];

export default defineConfig({
  test: {
    // No include here: a project extending this config would add its own to it, not replace it.
    // tfjs and tmux tests are slow on a 2-core machine; keep the pool small.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ALL, exclude: [...REFERENCE, ...E2E, ...SYSTEM] } },
      { extends: true, test: { name: 'reference', include: REFERENCE } },
      { extends: true, test: { name: 'e2e', include: E2E } },
      { extends: true, test: { name: 'system', include: SYSTEM } },
    ],
  },
});
