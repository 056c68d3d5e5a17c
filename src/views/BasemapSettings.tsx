// The basemap setting: the offline basemap drawn from the project's data, OpenStreetMap, or
// Tianditu with a key. GCJ-02 basemaps (Amap, Tencent; Baidu's BD-09) are refused with the reason:
// their tiles are shifted by hundreds of metres against our WGS-84 data, and a raster tile
// cannot be un-shifted point by point.
import gcoord from 'gcoord'
import { useMemo, useState, type ReactNode } from 'react'
import type { BasemapChoice } from '../app/urlState.ts'
import { useI18n } from '../i18n/react.tsx'

export const tiandituKeyStorage = 'atlas.tiandituKey'

/** How far GCJ-02 moves a point here, in metres. */
export function gcjOffsetM(lon: number, lat: number): number {
  const [glon, glat] = gcoord.transform<[number, number]>([lon, lat], gcoord.WGS84, gcoord.GCJ02)
  const dx = (glon - lon) * 111_320 * Math.cos((lat * Math.PI) / 180)
  const dy = (glat - lat) * 110_574
  return Math.hypot(dx, dy)
}

export interface BasemapSettingsProps {
  choice: BasemapChoice
  center: [number, number]
  onApply: (choice: BasemapChoice, tiandituKey?: string) => void
  onClose: () => void
  /** What the settings hold beside the basemap (the city's profile). */
  children?: ReactNode
}

export function BasemapSettings({ choice, center, onApply, onClose, children }: BasemapSettingsProps) {
  const { t } = useI18n()
  const [picked, setPicked] = useState<BasemapChoice | 'gcj02'>(choice)
  const [key, setKey] = useState(() => localStorage.getItem(tiandituKeyStorage) ?? '')
  const [problem, setProblem] = useState<string | null>(null)
  const offset = useMemo(() => Math.round(gcjOffsetM(center[0], center[1]) / 10) * 10, [center])

  const apply = () => {
    if (picked === 'gcj02') return
    if (picked === 'tianditu') {
      if (!key.trim()) return setProblem(t('settings.invalid.key'))
      localStorage.setItem(tiandituKeyStorage, key.trim())
    }
    onApply(picked, key.trim() || undefined)
  }

  const option = (value: BasemapChoice | 'gcj02', label: string) => (
    <label className="radio">
      <input type="radio" name="basemap" value={value} checked={picked === value} onChange={() => (setPicked(value), setProblem(null))} />
      {label}
    </label>
  )

  return (
    <div className="modal-backdrop" onClick={onClose}>
      <div className="modal panel" role="dialog" aria-label={t('settings.title')} data-testid="settings" onClick={(e) => e.stopPropagation()}>
        <h3>{t('settings.basemap')}</h3>
        {option('atlas', t('settings.basemap.local'))}
        {option('osm', t('settings.basemap.osm'))}
        {option('tianditu', t('settings.basemap.tianditu'))}
        {picked === 'tianditu' && (
          <label className="field">
            {t('settings.tiandituKey')}
            <input value={key} onChange={(e) => setKey(e.target.value)} spellCheck={false} />
          </label>
        )}
        {option('gcj02', t('settings.basemap.gcj02'))}
        {picked === 'gcj02' && (
          <p className="refusal" role="alert" data-testid="gcj02-refused">
            {t('settings.gcj02.refused', { m: offset })}
          </p>
        )}
        {picked !== 'atlas' && picked !== 'gcj02' && <p className="muted">{t('settings.online')}</p>}
        {problem && <p className="inline-error">{problem}</p>}
        <div className="modal-actions">
          <button onClick={onClose}>{t('settings.close')}</button>
          <button className="primary" onClick={apply} disabled={picked === 'gcj02'}>
            {t('settings.apply')}
          </button>
        </div>
        {children}
      </div>
    </div>
  )
}
