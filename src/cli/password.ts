// Reads a password for `atlas user`: from the terminal without echo, asked twice, or, when
// standard input is not a terminal (a script, a pipe), its first line. Never from an argument:
// arguments show in the shell's history and in every process list.
import type { Readable, Writable } from 'node:stream'
import { CommandError } from './commands/command.ts'

export interface PasswordInput {
  input?: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown }
  output?: Writable
}

/** The first line of a stream (without its line end), read no further than needed. */
export function readFirstLine(input: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = ''
    const finish = () => {
      input.off('data', onData)
      input.off('end', finish)
      input.off('error', reject)
      input.pause()
      // a pipe left open by whoever runs us must not keep the process alive
      ;(input as { unref?: () => void }).unref?.()
      resolve(text.split('\n')[0].replace(/\r$/, ''))
    }
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString()
      if (text.includes('\n')) finish()
    }
    input.on('data', onData)
    input.once('end', finish)
    input.once('error', reject)
    input.resume()
  })
}

/**
 * Lines typed on the terminal with nothing shown, in raw mode: Enter ends a line, Backspace takes
 * a character back, Ctrl-C stops the command with nothing written. Keys may arrive several lines
 * at once (a paste): what follows a line is kept for the next question.
 */
function hiddenLines(input: NonNullable<PasswordInput['input']>, output: Writable) {
  const lines: string[] = []
  let typed = ''
  let stopped = false
  let lastWasReturn = false
  let waiting: { resolve: (line: string) => void; reject: (error: Error) => void } | undefined
  const deliver = () => {
    if (!waiting) return
    const { resolve, reject } = waiting
    if (stopped) {
      waiting = undefined
      output.write('\n')
      reject(new CommandError('stopped; nothing was written'))
    } else if (lines.length) {
      waiting = undefined
      output.write('\n')
      resolve(lines.shift()!)
    }
  }
  const onData = (chunk: Buffer | string) => {
    for (const char of chunk.toString()) {
      const newline = char === '\n' && lastWasReturn
      lastWasReturn = char === '\r'
      if (newline) continue
      if (char === '\r' || char === '\n' || char === '\u0004') {
        lines.push(typed)
        typed = ''
      } else if (char === '\u0003') stopped = true
      else if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('')
      else if (char >= ' ') typed += char
    }
    deliver()
  }
  input.setRawMode?.(true)
  input.on('data', onData)
  input.resume()
  return {
    ask(prompt: string): Promise<string> {
      output.write(prompt)
      return new Promise((resolve, reject) => {
        waiting = { resolve, reject }
        deliver()
      })
    },
    close() {
      input.off('data', onData)
      input.setRawMode?.(false)
      input.pause()
    },
  }
}

/**
 * A new password: typed twice on a terminal (the two must agree), or the first line of standard
 * input. Checking it against the rule is the caller's business.
 */
export async function readNewPassword(what: string, io: PasswordInput = {}): Promise<string> {
  const input = io.input ?? process.stdin
  const output = io.output ?? process.stderr
  if (!input.isTTY) return readFirstLine(input)
  const terminal = hiddenLines(input, output)
  try {
    const first = await terminal.ask(`password for ${what}: `)
    if (first === '') return first
    const second = await terminal.ask('the same password again: ')
    if (first !== second) throw new CommandError('the two passwords typed differ; nothing was written')
    return first
  } finally {
    terminal.close()
  }
}
