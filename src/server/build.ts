// The app is served built (dist/), rebuilt only when its sources changed since the last build.
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { projectRoot } from '../db/embedded.ts'

export const distDir = path.join(projectRoot, 'dist')
const stampFile = path.join(distDir, '.sources-hash')
// .env too: it may point the build at a Supabase project (VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY)
const inputs = ['src', 'index.html', 'vite.config.ts', 'package-lock.json', 'tsconfig.json', '.env']

function listFiles(entry: string): string[] {
  const full = path.join(projectRoot, entry)
  if (!fs.existsSync(full)) return []
  if (fs.statSync(full).isFile()) return [entry]
  return fs.readdirSync(full).sort().flatMap((name) => listFiles(path.join(entry, name)))
}

/** A hash of everything the bundle is made from. */
export function sourcesHash(): string {
  const hash = crypto.createHash('sha256')
  for (const file of inputs.flatMap(listFiles)) {
    hash.update(file)
    hash.update(fs.readFileSync(path.join(projectRoot, file)))
  }
  return hash.digest('hex')
}

export async function ensureBuilt(log: (message: string) => void = () => {}): Promise<string> {
  const hash = sourcesHash()
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === hash) return distDir
  log('building the app …')
  const { build } = await import('vite')
  // A production bundle whatever NODE_ENV this process was started with (a test runner sets
  // 'test', and Vite would then ship React's development build).
  const inherited = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({ root: projectRoot, mode: 'production', logLevel: 'warn' })
  } finally {
    if (inherited === undefined) delete process.env.NODE_ENV
    else process.env.NODE_ENV = inherited
  }
  fs.writeFileSync(stampFile, hash)
  log('app built')
  return distDir
}
