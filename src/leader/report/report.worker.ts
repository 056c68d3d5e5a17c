// The report made in a Web Worker, behind comlink, so the page stays responsive: the data is
// gathered through the page's own API client (its calls come back to the page, which holds the
// signed-in session), the plan is solved with HiGHS, and pdfkit lays out the PDF with Noto Sans SC,
// all here. pdfkit, the fonts (2 × 10 MB, subset into the file) and HiGHS load only in this chunk.
import { expose, transfer } from 'comlink'
import regularUrl from '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf?url'
import boldUrl from '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf?url'
import wasmUrl from 'highs/runtime?url'
import PDFDocument from 'pdfkit'
import { loadHighs } from '../../backlog/plan/index.ts'
import { gatherReport } from './gather.ts'
import { renderReportPdf } from './pdf.ts'
import type { ApiCall } from '../../shared/api.ts'
import type { ReportOptions } from './types.ts'

async function bytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url)
  if (!response.ok) throw new Error(`cannot load the report's font (${response.status} ${response.statusText})`)
  return new Uint8Array(await response.arrayBuffer())
}

const api = {
  /** The report's PDF; `call` reaches the API through the page. */
  async render(call: ApiCall, options: ReportOptions): Promise<Uint8Array> {
    const fonts = Promise.all([bytes(regularUrl), bytes(boldUrl)])
    // a rejected font fetch is reported once, by the await below
    fonts.catch(() => undefined)
    const data = await gatherReport(call, { ...options, highs: () => loadHighs({ wasmUrl }) })
    const [regular, bold] = await fonts
    const pdf = await renderReportPdf(data, { PDFDocument, regular, bold })
    return transfer(pdf, [pdf.buffer as ArrayBuffer])
  },
}

export type ReportWorker = typeof api

expose(api)
