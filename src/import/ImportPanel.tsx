// The import's panel: the layer to import into, the file, what was read, the fields' sources (the
// dictionary's guesses, editable), the coordinate system, a network's noding, every problem (a click
// zooms to it), and the import itself.
import { useEffect, useRef } from 'react'
import { layerFields } from '../db/fields.ts'
import { percentDone } from '../files/progress.ts'
import { formatNumber } from '../i18n/core.ts'
import { useI18n } from '../i18n/react.tsx'
import { layers, type LayerName } from '../shared/layers.ts'
import type { ImportModel } from './useImport.ts'
import { stageWords } from './words.ts'
import './import.css'

const crsChoices = ['', 'wgs84', 'cgcs2000', 'gcj02', 'bd09'] as const

export interface ImportPanelProps {
  model: ImportModel
  writable: LayerName[]
  /** Moves the map to a feature of the file, by its index. */
  show: (index: number) => void
}

export default function ImportPanel({ model, writable, show }: ImportPanelProps) {
  const { t, lang } = useI18n()
  const { opened, prepared, refusal, written, failure, choices, choose, stage } = model
  // what the import ended in is brought into view: it is below the form, often under the fold
  const outcome = useRef<HTMLDivElement>(null)
  const refused = useRef<HTMLDivElement>(null)
  useEffect(() => {
    if (written || failure) outcome.current?.scrollIntoView({ block: 'nearest' })
  }, [written, model.storedParts, failure])
  useEffect(() => {
    if (model.writeRefusal) refused.current?.scrollIntoView({ block: 'nearest' })
  }, [model.writeRefusal])
  const layer = choices.layer
  if (!writable.length)
    return (
      <section className="panel import-panel" data-testid="import-panel">
        <h2>{t('import.title')}</h2>
        <p className="muted">{t('import.cannot')}</p>
      </section>
    )
  const fields = layer ? layerFields(layers[layer]).filter((f) => !['bridge', 'tunnel', 'layer'].includes(f)) : []
  const sourceOf = (field: string) => prepared?.mapping[field] ?? (prepared?.fields.includes(field) ? field : '')
  const problems = [...(refusal ?? []), ...(model.writeRefusal ?? []), ...(prepared?.problems ?? [])]
  const problemCount = (refusal?.length ?? 0) + (model.writeRefusal?.length ?? 0) + (prepared?.problemCount ?? 0)
  const ready = prepared && !prepared.problemCount && !refusal ? prepared.preview.count : 0

  // how far the reading, the checks or the writing has got: a step and its share, or a bar with no end
  const progress = model.progress
  const bar = stage !== 'idle' && (
    <div className="import-progress" data-testid="import-progress" role="status">
      <progress max={100} value={progress && progress.total > 0 ? percentDone(progress) : undefined} />
      <span>
        {progress
          ? progress.total > 0
            ? t('import.progress', { step: t(`import.step.${progress.step}`), percent: percentDone(progress) })
            : `${t(`import.step.${progress.step}`)}…`
          : t(stageWords[stage])}
      </span>
    </div>
  )
  return (
    <section className="panel import-panel" data-testid="import-panel">
      <h2>{t('import.title')}</h2>
      <p className="muted">{t('import.intro')}</p>
      <label className="import-row">
        {t('import.layer')}
        <select data-testid="import-layer" value={layer ?? ''} onChange={(e) => choose({ layer: e.target.value as LayerName, map: {} })}>
          {writable.map((name) => (
            <option key={name} value={name}>
              {t(`layer.${name}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="import-row import-pick">
        <span className="button">{t('import.pick')}</span>
        <input
          type="file"
          multiple
          data-testid="import-file"
          accept=".zip,.shp,.shx,.dbf,.prj,.cpg,.gpkg,.csv,.txt,.xlsx,.geojson,.json"
          onChange={(e) => {
            model.open([...(e.target.files ?? [])])
            e.target.value = ''
          }}
        />
        <span className="muted">{t('import.drop')}</span>
      </label>
      {stage !== 'importing' && bar}
      {opened && (
        <div className="import-file" data-testid="import-opened">
          <div>{t('import.file', { name: opened.name, format: opened.format, n: formatNumber(lang, opened.features) })}</div>
          {opened.part && <div className="muted">{t('import.part', { part: opened.part })}</div>}
          {opened.encoding && <div className="muted">{t('import.encoding', { encoding: opened.encoding })}</div>}
        </div>
      )}
      {opened && layer && (
        <>
          <h3>{t('import.fields')}</h3>
          <table className="import-fields" data-testid="import-fields">
            <thead>
              <tr>
                <th>{t('import.field')}</th>
                <th>{t('import.source')}</th>
              </tr>
            </thead>
            <tbody>
              {fields.map((field) => (
                <tr key={field}>
                  <td>{field}</td>
                  <td>
                    <select
                      data-testid={`import-map-${field}`}
                      value={sourceOf(field)}
                      onChange={(e) => {
                        const map = { ...choices.map }
                        if (e.target.value) map[field] = e.target.value
                        else delete map[field]
                        choose({ map })
                      }}
                    >
                      <option value="">{t('import.none')}</option>
                      {opened.fields.map((f) => (
                        <option key={f} value={f}>
                          {f}
                        </option>
                      ))}
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{t('import.crs')}</h3>
          <label className="import-row">
            <select data-testid="import-crs" value={choices.crs ?? ''} onChange={(e) => choose({ crs: e.target.value || undefined })}>
              {crsChoices.map((c) => (
                <option key={c} value={c}>
                  {c ? c.toUpperCase() : t('import.crs.auto')}
                </option>
              ))}
            </select>
            <input
              className="import-epsg"
              placeholder={t('import.crs.other')}
              data-testid="import-epsg"
              onKeyDown={(e) => {
                const value = e.currentTarget.value.trim()
                if (e.key === 'Enter' && value) choose({ crs: /^\d+$/.test(value) ? `EPSG:${value}` : value })
              }}
            />
          </label>
          {prepared && (
            <p className="muted" data-testid="import-crs-said">
              {prepared.crs.from
                ? t(prepared.crs.id === 'wgs84' ? 'import.crs.declaredWgs84' : 'import.crs.declared', { name: prepared.crs.name, from: prepared.crs.from })
                : prepared.crs.stated
                  ? t('import.crs.stated', { name: prepared.crs.name })
                  : t('import.crs.undeclared')}
            </p>
          )}
          {layer === 'walk_edge' && (
            <label className="import-row">
              <input type="checkbox" checked={choices.node} onChange={(e) => choose({ node: e.target.checked })} />
              {t('import.node')}
            </label>
          )}
          {prepared?.parts && <PartsLines lines={prepared.parts} testId="import-parts" />}
          {prepared?.noding && <p className="muted">{t('import.noding', { split: prepared.noding.split, pieces: prepared.noding.pieces, duplicates: prepared.noding.duplicates, levelled: prepared.noding.levelled })}</p>}
          {prepared?.warnings.map((w) => (
            <p key={w} className="import-warning">
              {w}
            </p>
          ))}
        </>
      )}
      {problemCount > 0 && (
        <div className="import-problems" data-testid="import-problems" ref={refused}>
          <div>{t('import.problems', { n: problemCount })}</div>
          <ul>
            {problems.slice(0, 100).map((p, i) => (
              <li key={i}>
                {p.index >= 0 ? (
                  <button className="link" data-testid="import-problem" onClick={() => show(p.index)}>
                    {p.said}
                  </button>
                ) : (
                  <span data-testid="import-problem">{p.said}</span>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {opened && layer && (
        <div className="import-actions">
          <label className="import-row">
            <input type="checkbox" checked={choices.upsert} onChange={(e) => choose({ upsert: e.target.checked })} />
            {t('import.upsert')}
          </label>
          {stage === 'importing' && bar}
          {ready > 0 && <p data-testid="import-ready">{t('import.ready', { n: formatNumber(lang, ready) })}</p>}
          {!written && (
            <button className="primary" data-testid="import-write" disabled={!ready || stage !== 'idle'} onClick={model.write}>
              {t('import.import', { n: formatNumber(lang, ready) })}
            </button>
          )}
        </div>
      )}
      <div ref={outcome}>
        {written && (
          <p className="import-done" data-testid="import-done">
            {t('import.done', { inserted: formatNumber(lang, written.inserted), updated: formatNumber(lang, written.updated) })}
          </p>
        )}
        {model.storedParts && (
          <div data-testid="import-stored-parts">
            <p className="muted">{t('import.storedParts')}</p>
            <PartsLines lines={model.storedParts} />
          </div>
        )}
        {failure && <p className="import-warning">{t('import.failed', { message: failure })}</p>}
      </div>
    </section>
  )
}

/** A network's connected parts in words (describeParts), a warning marked as one. */
function PartsLines({ lines, testId }: { lines: readonly string[]; testId?: string }) {
  return lines.map((line) => (
    <p key={line} className={line.startsWith('warning') ? 'import-warning' : 'muted'} data-testid={testId}>
      {line}
    </p>
  ))
}
