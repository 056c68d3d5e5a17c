// The EPSG registry's definitions for the Node import, read one code at a time from epsg-index
// (one small JSON file per code, kept up to date with the registry), so none is loaded unasked.
import { createRequire } from 'node:module'
import type { EpsgLookup } from './crs.ts'

const require = createRequire(import.meta.url)

export const epsgIndex: EpsgLookup = (code) => {
  if (!Number.isInteger(code) || code <= 0) return undefined
  try {
    const entry = require(`epsg-index/s/${code}.json`) as { name?: string; proj4?: string | null }
    return entry.proj4 ? { name: entry.name ?? `EPSG:${code}`, proj4: entry.proj4 } : undefined
  } catch {
    return undefined
  }
}
