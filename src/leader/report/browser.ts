// The report's makers for the page, loaded only when a button asks for them: the PDF is made in
// a Web Worker (./report.worker.ts), the CSV here (it is a few kilobytes of text).
import { proxy, wrap } from 'comlink'
import type { Lang } from '../../i18n/core.ts'
import { rpc, type AtlasClient } from '../../data/client.ts'
import type { ApiCall } from '../../shared/api.ts'
import type { IndicatorKey, Indicators } from '../types.ts'
import { indicatorsCsv } from './csv.ts'
import type { ReportWorker } from './report.worker.ts'

export async function makeReportPdf(
  client: AtlasClient,
  options: { budget?: number; indicator?: IndicatorKey; minutes?: number; speed?: number },
): Promise<Blob> {
  const worker = new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module', name: 'report' })
  try {
    const api = wrap<ReportWorker>(worker)
    // The worker's API calls run here, with the page's signed-in client.
    const call: ApiCall = (name, args) => rpc(client, name, args)
    const pdf = await api.render(proxy(call), options)
    return new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' })
  } finally {
    worker.terminate()
  }
}

export function makeIndicatorsCsv(indicators: Indicators, lang: Lang): Blob {
  return new Blob([indicatorsCsv(indicators, lang)], { type: 'text/csv;charset=utf-8' })
}
