// The template databases the tests copy: one migrated and empty, one with the sample city loaded
// through the importer. A cold PGlite + PostGIS start with the migrations costs tens of seconds; a
// copy of a prepared folder costs one. They are built once for a given state of what they are made
// of, in a folder named by its hash, which every project of a run and the next runs reuse. The
// build runs in a child process, so the files that need no template start at once; a file that
// copies one waits until the folder is in place.
import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { alive, projectRoot } from '../../src/db/embedded.ts'

export const templatesRoot = path.join(os.tmpdir(), 'atlas-test-templates')
const builder = path.join(import.meta.dirname, 'build-templates.ts')

/** The bootstrap, the migrations, the sample city and the dependencies' versions; the code is followed from the builder. */
const dataInputs = ['supabase/bootstrap', 'supabase/migrations', 'data/longquan', 'package-lock.json']

export interface Templates {
  /** The folder holding both, named by the hash of what they are made of. */
  folder: string
  empty: string
  sample: string
}

export function templatesIn(folder: string): Templates {
  return { folder, empty: path.join(folder, 'empty'), sample: path.join(folder, 'sample') }
}

function listFiles(full: string): string[] {
  if (!fs.existsSync(full)) return []
  if (fs.statSync(full).isFile()) return [full]
  return fs.readdirSync(full).sort().flatMap((name) => listFiles(path.join(full, name)))
}

/** The builder and every module it imports, by following the relative imports (all name their file). */
function moduleGraph(entry: string): string[] {
  const seen = new Set<string>()
  const visit = (file: string) => {
    if (seen.has(file)) return
    seen.add(file)
    for (const [, specifier] of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*['"](\.\.?\/[^'"]+)['"]/g))
      visit(path.resolve(path.dirname(file), specifier))
  }
  visit(entry)
  return [...seen].sort()
}

/** The folder the templates of the tree as it is now live in. */
export function currentTemplates(): Templates {
  const hash = crypto.createHash('sha256')
  for (const file of [...dataInputs.flatMap((entry) => listFiles(path.join(projectRoot, entry))), ...moduleGraph(builder)]) {
    hash.update(path.relative(projectRoot, file))
    hash.update(fs.readFileSync(file))
  }
  return templatesIn(path.join(templatesRoot, hash.digest('hex').slice(0, 16)))
}

const lockFile = (folder: string) => `${folder}.lock`
const errorFile = (folder: string) => `${folder}.error`

/** The process building the templates in `folder`, if one is. */
function builderHolder(folder: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lockFile(folder), 'utf8'))
    return pid === process.pid || alive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Starts building the templates unless they are in place or another run is building them. The
 * lock names this process, which outlives the build and writes the build's failure for the files
 * that wait. Returns the stop for the run's end.
 */
export function startBuilding(templates: Templates, log: (line: string) => void): (() => Promise<void>) | undefined {
  const { folder } = templates
  fs.mkdirSync(templatesRoot, { recursive: true })
  removeUnused(folder)
  if (fs.existsSync(folder)) {
    fs.utimesSync(folder, new Date(), new Date())
    return undefined
  }
  for (;;) {
    try {
      fs.writeFileSync(lockFile(folder), String(process.pid), { flag: 'wx' })
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (builderHolder(folder) !== undefined) return undefined
      fs.rmSync(lockFile(folder), { force: true }) // left by a run that died
    }
  }
  fs.rmSync(errorFile(folder), { force: true })
  const started = performance.now()
  log(`building the template databases into ${folder} …`)
  const child = spawn(process.execPath, ['--import', 'tsx', builder, folder], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => {
    const finish = (failure: string | undefined) => {
      if (failure) fs.writeFileSync(errorFile(folder), failure)
      else log(`template databases built in ${((performance.now() - started) / 1000).toFixed(1)} s`)
      fs.rmSync(`${folder}.${child.pid}.partial`, { recursive: true, force: true })
      fs.rmSync(lockFile(folder), { force: true })
      resolve()
    }
    child.once('error', (error) => finish(`the template databases could not be built: ${error.message}`))
    child.once('exit', (code, signal) =>
      finish(code === 0 && fs.existsSync(folder) ? undefined : `building the template databases failed (${signal ?? `exit ${code}`}):\n${output}`),
    )
  })
  return async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill()
    await exited
  }
}

/** Templates of other states of the tree that no run has used for two hours, and builds left half-done. */
function removeUnused(current: string): void {
  for (const name of fs.readdirSync(templatesRoot)) {
    const entry = path.join(templatesRoot, name)
    if (entry === current || entry.startsWith(`${current}.`)) continue
    // another run may be removing it at the same moment
    const used = fs.statSync(entry, { throwIfNoEntry: false })?.mtimeMs
    if (used !== undefined && Date.now() - used > 2 * 3600_000) fs.rmSync(entry, { recursive: true, force: true })
  }
}

/**
 * Waits, blocking, until the templates are in place: the copies are made synchronously, in hooks,
 * and a worker has nothing else to do meanwhile. Throws the build's failure in its own words.
 */
export function waitForTemplates(folder: string, timeoutMs = 15 * 60_000): void {
  const pause = new Int32Array(new SharedArrayBuffer(4))
  const start = Date.now()
  for (;;) {
    if (fs.existsSync(folder)) {
      // in use: not to be removed as unused by a run of another state of the tree
      fs.utimesSync(folder, new Date(), new Date())
      return
    }
    if (fs.existsSync(errorFile(folder))) throw new Error(fs.readFileSync(errorFile(folder), 'utf8'))
    if (builderHolder(folder) === undefined && !fs.existsSync(folder))
      throw new Error(`the template databases ${folder} are not built and nothing is building them: the run that started the build stopped; run the tests again`)
    if (Date.now() - start > timeoutMs) throw new Error(`the template databases ${folder} were not built within ${timeoutMs / 60_000} minutes`)
    Atomics.wait(pause, 0, 0, 200)
  }
}
