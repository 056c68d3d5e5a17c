// Streams XML through sax: malformed XML becomes a NetworkError naming the line and column.
import sax from 'sax'
import { NetworkError } from './split.ts'

export type XmlInput = string | AsyncIterable<string | Uint8Array> | Iterable<string>

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>): void
  close(name: string): void
  /** Handed to sax as its listener: a function of its own, not a method. */
  text?: (text: string) => void
}

/** Feeds the input to a strict sax parser, chunk by chunk; never holds the whole document. */
export async function streamXml(input: XmlInput, handlers: XmlHandlers): Promise<void> {
  const parser = sax.parser(true, { position: true })
  let failure: Error | undefined
  parser.onerror = (error) => {
    // sax's message is "reason\nLine: n\nColumn: n\nChar: c"; its line is 0-based
    const reason = error.message.split('\n')[0]
    failure ??= new NetworkError(`malformed XML at line ${parser.line + 1}, column ${parser.column}: ${reason}`)
  }
  parser.onopentag = (tag) => handlers.open(tag.name, (tag as sax.Tag).attributes)
  parser.onclosetag = (name) => handlers.close(name)
  if (handlers.text) {
    const text = handlers.text
    parser.ontext = text
    parser.oncdata = text
  }
  const decoder = new TextDecoder('utf-8')
  const write = (chunk: string | Uint8Array) => {
    parser.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }))
    if (failure) throw failure
  }
  if (typeof input === 'string') write(input)
  else if (Symbol.asyncIterator in input) for await (const chunk of input) write(chunk)
  else for (const chunk of input) write(chunk)
  parser.write(decoder.decode())
  parser.close()
  if (failure) throw failure
}
