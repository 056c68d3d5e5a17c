// The text encoding of a city's file that does not say (a CSV, a .dbf with no .cpg): Chinese
// offices save in UTF-8 or in GBK. One rule for every format, so that a file reads the same whatever
// it came in.

export interface Encoding {
  /** The encoding's name as TextDecoder knows it: utf-8, gbk, big5… */
  name: string
  /** Where it came from: the .cpg, the .dbf's language byte, or the text itself. */
  how: 'cpg' | 'ldid' | 'detected' | 'ascii'
}

/**
 * Text bytes decoded with the encoding found in them: ASCII; else UTF-8 when all of it decodes as
 * UTF-8 (its mark, if any, dropped); else GBK, read as GB18030 (its superset), when all of it
 * decodes so; undefined when neither does. Text that decodes cleanly as GBK but not as UTF-8 is GBK:
 * the reverse is rare, since UTF-8's multi-byte sequences are strict.
 */
export function detectText(bytes: Uint8Array): { text: string; encoding: Encoding } | undefined {
  if (bytes.every((b) => b < 0x80)) return { text: new TextDecoder().decode(bytes), encoding: { name: 'utf-8', how: 'ascii' } }
  for (const [label, name] of [
    ['utf-8', 'utf-8'],
    ['gb18030', 'gbk'],
  ] as const) {
    try {
      return { text: new TextDecoder(label, { fatal: true }).decode(bytes), encoding: { name, how: 'detected' } }
    } catch {
      // not this one
    }
  }
  return undefined
}
