// Which layers are on; a layer outside its zoom range says which way to zoom to see it.
import type { LayerStats } from '../data/types.ts'
import { useI18n } from '../i18n/react.tsx'
import { isMapLayer, layerZooms, mapLayers, type MapLayer } from '../layers/zoom.ts'

export interface LayersPanelProps {
  enabled: readonly MapLayer[]
  zoom: number
  /** The city's totals (layer_stats), not what happens to be loaded. */
  stats: LayerStats
  onToggle: (layer: MapLayer, on: boolean) => void
}

export function LayersPanel({ enabled, zoom, stats, onToggle }: LayersPanelProps) {
  const { t } = useI18n()
  const counts: Partial<Record<MapLayer, number>> = Object.fromEntries(
    Object.entries(stats).flatMap(([layer, value]) => (isMapLayer(layer) && typeof (value as { count?: unknown })?.count === 'number' ? [[layer, (value as { count: number }).count]] : [])),
  )
  return (
    <section className="layers panel" aria-label={t('layers.title')}>
      <h3>{t('layers.title')}</h3>
      <ul>
        {mapLayers.map((layer) => {
          const { minZoom, maxZoom } = layerZooms[layer]
          const hint = zoom < minZoom ? t('layers.zoomIn') : zoom >= maxZoom ? t('layers.zoomOut') : null
          const on = enabled.includes(layer)
          return (
            <li key={layer} className={hint ? 'out-of-range' : ''}>
              <label>
                <input type="checkbox" data-testid={`layer-toggle-${layer}`} checked={on} onChange={(e) => onToggle(layer, e.target.checked)} />
                <span>{t(`layer.${layer}`)}</span>
                {hint ? <span className="hint">{hint}</span> : on && counts[layer] ? <span className="count">{t('layers.count', { n: counts[layer] })}</span> : null}
              </label>
            </li>
          )
        })}
      </ul>
    </section>
  )
}
