// `atlas …` run in-process on a database folder, its output and exit code captured.
import { main } from '../../src/cli/main.ts'

export async function runAtlas(dir: string, ...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await main(['--db', dir, ...args], (line) => out.push(line), (line) => err.push(line))
  return { code, out: out.join('\n'), err: err.join('\n') }
}
