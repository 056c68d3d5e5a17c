// The import's progress: reports thinned to what a bar needs, never losing a step's first or last;
// and a real zipped Shapefile in a Gauss–Krüger zone read and made ready with every step told, in order.
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { epsgIndex } from './epsg.ts'
import { prepareSource } from './prepare.ts'
import { eachCounted, percentDone, progressSteps, throttled, type ProgressReport } from './progress.ts'
import { readSource } from './source.ts'

describe('throttled', () => {
  it('passes a step’s first and last report and at most one per interval between', () => {
    let clock = 0
    const seen: ProgressReport[] = []
    const progress = throttled((r) => seen.push(r), 100, () => clock)
    for (let done = 0; done <= 1000; done += 10) {
      progress({ step: 'records', done, total: 1000 })
      clock += 7 // 100 reports 7 ms apart: 700 ms
    }
    progress({ step: 'convert', done: 0, total: 5 })
    progress({ step: 'convert', done: 5, total: 5 })
    expect(seen[0]).toEqual({ step: 'records', done: 0, total: 1000 })
    expect(seen.filter((r) => r.step === 'records').at(-1)).toEqual({ step: 'records', done: 1000, total: 1000 })
    // 700 ms of reports: the first, one per 100 ms (every 15th: 105 ms apart), and the last
    expect(seen.filter((r) => r.step === 'records')).toHaveLength(1 + Math.floor(100 / 15) + 1)
    expect(seen.slice(-2)).toEqual([
      { step: 'convert', done: 0, total: 5 },
      { step: 'convert', done: 5, total: 5 },
    ])
  })

  it('says a share as a whole percentage, and 0 of an unknown total', () => {
    expect(percentDone({ step: 'read', done: 1, total: 3 })).toBe(33)
    expect(percentDone({ step: 'read', done: 3, total: 3 })).toBe(100)
    expect(percentDone({ step: 'write', done: 0, total: 0 })).toBe(0)
  })

  it('counts a loop every so many items, from 0 to its length', () => {
    const seen: number[] = []
    expect(eachCounted([1, 2, 3, 4, 5], 'check', (r) => seen.push(r.done), (n) => n * 2, 2)).toEqual([2, 4, 6, 8, 10])
    expect(seen).toEqual([0, 2, 4, 5])
  })
})

it('a zipped Shapefile in a Gauss–Krüger zone: every step told in order, each from 0 to its total', async () => {
  const zip = path.resolve(import.meta.dirname, '../../tests/fixtures/formats/out/community-gk.zip')
  const seen: ProgressReport[] = []
  const progress = (r: ProgressReport) => seen.push(r)
  const source = await readSource('community-gk.zip', [{ name: 'community-gk.zip', bytes: new Uint8Array(fs.readFileSync(zip)) }], {}, { sqlJs: () => Promise.reject(new Error('unused')), progress })
  const prepared = prepareSource('community-gk.zip', 'community', source, { progress }, epsgIndex)
  expect(prepared.problems).toEqual([])
  const steps = [...new Set(seen.map((r) => r.step))]
  expect(steps).toEqual(['unzip', 'records', 'shapes', 'fields', 'convert', 'check'])
  // in the order the steps are listed, each starting at 0 and ending at its total, never going back
  expect(steps.map((s) => progressSteps.indexOf(s))).toEqual([...steps.map((s) => progressSteps.indexOf(s))].sort((a, b) => a - b))
  for (const step of steps) {
    const reports = seen.filter((r) => r.step === step)
    expect(reports[0].done, step).toBe(0)
    expect(reports.at(-1)!.done, step).toBe(reports.at(-1)!.total)
    for (let i = 1; i < reports.length; i++) expect(reports[i].done, step).toBeGreaterThanOrEqual(reports[i - 1].done)
  }
  expect(seen.find((r) => r.step === 'records')!.total).toBe(source.features.length)
  expect(seen.find((r) => r.step === 'convert')!.total).toBe(source.features.length)
})
