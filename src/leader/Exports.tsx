// The report as a PDF and the indicators as CSV, made in the page. Both makers load only when a
// button is pressed (pdfkit, the CJK font and the plan's solver are not in the first bundle).
import { useState } from 'react'
import type { AtlasClient } from '../data/client.ts'
import { fileDate } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { saveFile } from '../views/saveFile.ts'
import type { IndicatorKey, Indicators } from './types.ts'

export interface ExportsProps {
  client: AtlasClient
  indicators: Indicators
  indicator: IndicatorKey
  /** Tells the page the report is being made (its progress bar names it). */
  onBusy: (busy: boolean) => void
}

export function Exports({ client, indicators, indicator, onBusy }: ExportsProps) {
  const { t, lang } = useI18n()
  const [making, setMaking] = useState(false)
  const [made, setMade] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const city = indicators.city.name
  const stamp = fileDate(new Date())

  const makePdf = async () => {
    setMaking(true)
    setError(null)
    setMade(null)
    onBusy(true)
    try {
      const { makeReportPdf } = await import('./report/browser.ts')
      const { minutes, speed_m_per_min: speed } = indicators.params
      const blob = await makeReportPdf(client, { indicator, minutes, speed })
      const name = t('leader.file.report', { city, date: stamp })
      saveFile(name, blob)
      setMade(name)
    } catch (failure) {
      setError(t('leader.pdfFailed', { message: (failure as Error)?.message ?? String(failure) }))
    } finally {
      setMaking(false)
      onBusy(false)
    }
  }

  const makeCsv = async () => {
    setError(null)
    try {
      const { makeIndicatorsCsv } = await import('./report/browser.ts')
      saveFile(t('leader.file.indicators', { city, date: stamp }), makeIndicatorsCsv(indicators, lang))
    } catch (failure) {
      setError(t('leader.csvFailed', { message: (failure as Error)?.message ?? String(failure) }))
    }
  }

  return (
    <div className="leader-exports" data-testid="leader-exports">
      <div className="leader-export-buttons">
        <button type="button" className="primary" data-testid="leader-pdf" disabled={making} onClick={() => void makePdf()}>
          {t('leader.pdf')}
        </button>
        <button type="button" data-testid="leader-csv" onClick={() => void makeCsv()}>
          {t('leader.csv')}
        </button>
      </div>
      {making && (
        <div className="engine-progress" data-testid="leader-pdf-progress" role="progressbar" aria-label={t('leader.pdfBusy')}>
          <div className="progress-bar" />
          <span className="muted">{t('leader.pdfBusy')}</span>
        </div>
      )}
      {made && !making && (
        <div className="muted" data-testid="leader-pdf-done">
          {t('leader.pdfDone', { name: made })}
        </div>
      )}
      {error && (
        <div className="inline-error" role="alert" data-testid="leader-export-error">
          {error}
        </div>
      )}
    </div>
  )
}
