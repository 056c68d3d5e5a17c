// The leader's form for the city's profile, in the settings: its name, administrative code, the
// attribution of its data, the search box's example, and the view the map opens on (the one on
// screen, or fitted to the units). Saved through public.set_city_profile, which refuses in words
// what it cannot keep; every other role sees the profile and is told a leader sets it.
import { useState } from 'react'
import { rpc, type AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import { useI18n } from '../i18n/react.tsx'
import { useCity } from './context.ts'
import './city.css'
import type { CityProfile } from './types.ts'

export interface CityFormProps {
  client: AtlasClient
  /** Whether the signed-in role may change the profile (a leader). */
  writable: boolean
  /** The map's view now, to open on. */
  view: { lon: number; lat: number; zoom: number } | null
  onSaved: (city: CityProfile) => void
}

export function CityForm({ client, writable, view, onSaved }: CityFormProps) {
  const { t } = useI18n()
  const city = useCity()
  const [draft, setDraft] = useState({ name: city.name, adcode: city.adcode ?? '', attribution: city.attribution, search_example: city.search_example })
  const [opening, setOpening] = useState<'keep' | 'here' | 'fit'>('keep')
  const [state, setState] = useState<{ saving: boolean; said: string | null; failed: boolean }>({ saving: false, said: null, failed: false })

  const save = () => {
    setState({ saving: true, said: null, failed: false })
    const at = opening === 'here' && view ? { view_lon: round(view.lon, 6), view_lat: round(view.lat, 6), view_zoom: round(view.zoom, 2) } : {}
    rpc(client, 'set_city_profile', { ...draft, ...at, clear_view: opening === 'fit' })
      .then((saved) => {
        onSaved(saved)
        setOpening('keep')
        setState({ saving: false, said: t('city.saved'), failed: false })
      })
      .catch((error: unknown) => setState({ saving: false, said: toAtlasError(error).message, failed: true }))
  }

  const field = (key: keyof typeof draft, label: string, hint?: string) => (
    <label className="field">
      {label}
      <input
        data-testid={`city-field-${key}`}
        value={draft[key]}
        disabled={!writable}
        placeholder={hint}
        onChange={(e) => setDraft((d) => ({ ...d, [key]: e.target.value }))}
      />
    </label>
  )

  return (
    <section className="city-form" data-testid="city-form">
      <h3>{t('city.title')}</h3>
      {!writable && <p className="muted">{t('city.leaderOnly')}</p>}
      {field('name', t('city.name'), t('city.name.hint'))}
      {field('adcode', t('city.adcode'), t('city.adcode.hint'))}
      {field('attribution', t('city.attribution'))}
      {field('search_example', t('city.example'), t('city.example.hint'))}
      <div className="field">
        {t('city.view')}
        <span className="muted">{city.view ? t('city.view.set', { lon: city.view.lon, lat: city.view.lat, zoom: city.view.zoom }) : t('city.view.fit')}</span>
        {writable && (
          <select data-testid="city-view" value={opening} onChange={(e) => setOpening(e.target.value as typeof opening)}>
            <option value="keep">{t('city.view.keep')}</option>
            <option value="here" disabled={!view}>
              {t('city.view.here')}
            </option>
            <option value="fit">{t('city.view.toFit')}</option>
          </select>
        )}
      </div>
      {state.said && (
        <p className={state.failed ? 'inline-error' : 'muted'} data-testid="city-said" role={state.failed ? 'alert' : 'status'}>
          {state.said}
        </p>
      )}
      {writable && (
        <div className="modal-actions">
          <button className="primary" data-testid="city-save" onClick={save} disabled={state.saving}>
            {t('city.save')}
          </button>
        </div>
      )}
    </section>
  )
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits
