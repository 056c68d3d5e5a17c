// The EPSG definitions a Chinese city's files name, for the page's import (./generateEpsgChina.ts
// writes the JSON from epsg-index; the command line reads epsg-index itself, every code).
import type { EpsgLookup } from './crs.ts'
import definitions from './epsgChina.json'

const table = definitions as Record<string, { name: string; proj4: string } | undefined>

export const epsgChina: EpsgLookup = (code) => table[String(code)]
