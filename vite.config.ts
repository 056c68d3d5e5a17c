import react from '@vitejs/plugin-react'
import { configDefaults, defineConfig } from 'vitest/config'
import { BaseSequencer, type TestSpecification } from 'vitest/node'

// The suite's parts. unit: computations that open no database (src/ and the pure files of tests/);
// database: PGlite, PostgreSQL, the command line and the server; browser: the built page in
// Chromium; faults: killed processes, full disks, removed folders.
const unit = [
  'src/**/*.test.ts',
  'tests/accounts/password.test.ts',
  'tests/backlog/{constraints,curve,input,optimality,reasons}.test.ts',
  'tests/leader/*.test.ts',
]
const browser = ['tests/browser/**/*.test.ts', 'tests/e2e/**/*.test.ts']
const faults = ['tests/faults/**/*.test.ts']
// The template databases the projects that open databases copy, built once for all of them.
const templates = 'tests/global-setup.ts'

/**
 * The order files start in: first what needs neither the template databases nor the page, while
 * those are built (the unit files, then `npm start` from a fresh clone, which builds its own), then
 * the faults (a few long files, 45–90 s each, which otherwise started last and ended the run alone),
 * the browser's and the database's files; within each, vitest's order (the longest of the last run
 * first, or the largest file on a clean clone).
 */
class TemplatesLastSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const early = (file: TestSpecification) =>
      file.project.name === 'unit' ? 0 : file.moduleId.includes('/tests/e2e/') ? 1 : file.project.name === 'faults' ? 2 : file.project.name === 'browser' ? 3 : 4
    // a stable sort: within each rank, vitest's order
    return (await super.sort(files)).sort((a, b) => early(a) - early(b))
  }
}

export default defineConfig({
  plugins: [react()],
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
  worker: { format: 'es' },
  test: {
    testTimeout: 60_000,
    hookTimeout: 240_000,
    // Three files at a time on two cores: a file often waits (for Chromium, a child process, a
    // timer), and a third keeps the cores busy meanwhile (532 → 490 s here, README, Tests).
    fileParallelism: true,
    maxWorkers: 3,
    // supabase-js's realtime client wants a global WebSocket, which Node 20 has behind a flag.
    execArgv: ['--experimental-websocket'],
    reporters: ['default'],
    sequence: { sequencer: TemplatesLastSequencer },
    // Every file's temporary folders are removed when it ends.
    setupFiles: ['tests/helpers/cleanup.ts'],
    // One part at a time: npx vitest run --project unit (or database, browser, faults).
    projects: [
      // A worker runs its files one after another in one process and module cache (each file
      // closes what it opens), sparing a process, its imports and PGlite's compiled WebAssembly
      // per file. The faults keep a process per file: they stub globals and kill children.
      { extends: true, test: { name: 'unit', include: unit, isolate: false } },
      {
        extends: true,
        test: {
          name: 'database',
          include: ['tests/**/*.test.ts', 'supabase/tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...unit, ...browser, ...faults],
          globalSetup: [templates],
          isolate: false,
        },
      },
      { extends: true, test: { name: 'browser', include: browser, globalSetup: [templates, 'tests/browser/global-setup.ts'] } },
      { extends: true, test: { name: 'faults', include: faults, globalSetup: [templates] } },
    ],
  },
})
