// Folders a test file works in, under the system's temporary folder, removed when the file ends
// (tests/helpers/cleanup.ts): a run leaves nothing behind, and the disk holds only the folders of
// the files running, not every copy of the sample city the run made (150 MB each, 7 GB a run).
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

const made = new Set<string>()

/** A new empty folder, removed when the test file that made it ends. */
export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `atlas-${prefix}-`))
  made.add(dir)
  return dir
}

/** Removes the folders made so far; a folder that cannot go (a mount still on it) is named. */
export function removeTempDirs(): string[] {
  const left: string[] = []
  for (const dir of made) {
    try {
      fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
    } catch (error) {
      left.push(`${dir}: ${(error as Error).message}`)
    }
    made.delete(dir)
  }
  return left
}
