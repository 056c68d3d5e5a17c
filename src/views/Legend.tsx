// A legend for every visible layer, with units, in the colours as drawn (translucent fills
// over the land colour).
import type { ReactNode } from 'react'
import { useI18n, type MessageKey } from '../i18n/index.tsx'
import {
  basemapColors,
  communityFill,
  communityOutline,
  cssColor,
  facilityColors,
  formerVillageLine,
  gridBandFill,
  gridOutline,
  landRgb,
  microGridBreaks,
  microGridRamp,
  over,
  streetLine,
  walkColors,
  type RGBA,
} from '../layers/palette.ts'
import { unitStyle, type MapLayer } from '../layers/zoom.ts'

const swatch = (color: RGBA) => cssColor([...over(color, landRgb), 255] as RGBA)

function Row({ fill, line, dot, children }: { fill?: string; line?: string; dot?: string; children: ReactNode }) {
  return (
    <li className="legend-row">
      {dot ? (
        <span className="legend-dot" style={{ background: dot }} />
      ) : (
        <span className="legend-swatch" style={{ background: fill ?? 'transparent', borderColor: line ?? 'transparent' }} />
      )}
      <span>{children}</span>
    </li>
  )
}

export function Legend({ drawn, basemap }: { drawn: readonly MapLayer[]; basemap: boolean }) {
  const { t } = useI18n()
  const sections: ReactNode[] = []
  for (const layer of drawn) {
    const filled = unitStyle(layer, drawn) === 'fill'
    if (layer === 'street') sections.push(<Row key="street" line={cssColor(streetLine)}>{t('legend.street')}</Row>)
    if (layer === 'community')
      sections.push(
        filled ? (
          <li key="community">
            <div className="legend-heading">{t('legend.community.type')}</div>
            <ul>
              {(Object.keys(communityFill) as (keyof typeof communityFill)[]).map((type) => (
                <Row key={type} fill={swatch(communityFill[type])} line="#ffffff">
                  {t(`communityType.${type}` as MessageKey)}
                </Row>
              ))}
            </ul>
          </li>
        ) : (
          <Row key="community" line={cssColor(communityOutline)}>{t('legend.community.outline')}</Row>
        ),
      )
    if (layer === 'grid')
      sections.push(
        filled ? (
          <li key="grid">
            <div className="legend-heading">{t('legend.grid.band')}</div>
            <ul>
              {(['under', 'in', 'over'] as const).map((band) => (
                <Row key={band} fill={swatch(gridBandFill[band])} line="#ffffff">
                  {t(`legend.grid.${band}`)}
                </Row>
              ))}
            </ul>
          </li>
        ) : (
          <Row key="grid" line={cssColor(gridOutline)}>{t('legend.grid.outline')}</Row>
        ),
      )
    if (layer === 'micro_grid')
      sections.push(
        <li key="micro_grid">
          <div className="legend-heading">{t('legend.micro_grid.households')}</div>
          <ul>
            {microGridRamp.map((color, i) => (
              <Row key={i} fill={swatch(color)} line="#ffffff">
                {i === 0
                  ? t('legend.below', { b: microGridBreaks[0] })
                  : i === microGridBreaks.length
                    ? t('legend.above', { a: microGridBreaks[i - 1] })
                    : t('legend.range', { a: microGridBreaks[i - 1], b: microGridBreaks[i] - 1 })}
              </Row>
            ))}
          </ul>
        </li>,
      )
    if (layer === 'former_village') sections.push(<Row key="former_village" line={cssColor(formerVillageLine)}>{t('legend.former_village')}</Row>)
    if (layer === 'facility')
      sections.push(
        <li key="facility">
          <div className="legend-heading">{t('legend.facility')}</div>
          <ul>
            {(Object.keys(facilityColors) as (keyof typeof facilityColors)[]).map((type) => (
              <Row key={type} dot={cssColor(facilityColors[type])}>
                {t(`facility.${type}` as MessageKey)}
              </Row>
            ))}
          </ul>
        </li>,
      )
    if (layer === 'walk_edge')
      sections.push(
        <li key="walk_edge">
          <div className="legend-heading">{t('legend.walk_edge')}</div>
          <ul>
            <Row fill={cssColor(walkColors.major)} line={cssColor(walkColors.majorCasing)}>{t('legend.walk.major')}</Row>
            <Row fill={cssColor(walkColors.minor)} line="#cccccc">{t('legend.walk.minor')}</Row>
            <Row fill={cssColor(walkColors.foot)}>{t('legend.walk.foot')}</Row>
            <Row fill={cssColor(walkColors.steps)}>{t('legend.walk.steps')}</Row>
          </ul>
        </li>,
      )
  }
  return (
    <section className="legend panel" data-testid="legend" aria-label={t('legend.title')}>
      <h3>{t('legend.title')}</h3>
      <ul>
        {sections.length ? sections : <li className="muted">{t('legend.empty')}</li>}
        {basemap && (
          <li>
            <div className="legend-heading">{t('legend.basemap')}</div>
            <ul>
              <Row line={basemapColors.outline}>{t('legend.basemap.outline')}</Row>
              <Row fill={basemapColors.river}>{t('legend.basemap.water')}</Row>
              <Row fill={basemapColors.park}>{t('legend.basemap.park')}</Row>
            </ul>
          </li>
        )}
      </ul>
    </section>
  )
}
