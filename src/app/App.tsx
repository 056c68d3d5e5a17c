// The app: connects to the backend (the embedded server that served the page, or a Supabase
// project), signs in, then hands over to the atlas. A failure at any step says what failed and
// offers a retry: the page is never blank.
import { useCallback, useEffect, useRef, useState } from 'react'
import { layerStats, mapLayer } from '../data/api.ts'
import { createAtlasClient, currentRole, signIn, signInAsRole, type AtlasClient } from '../data/client.ts'
import { loadBackendConfig, type AppRole } from '../data/config.ts'
import { toAtlasError, type AtlasError } from '../data/errors.ts'
import type { Bbox, LayerStats } from '../data/types.ts'
import { I18nProvider, translator } from '../i18n/index.tsx'
import { Atlas } from './Atlas.tsx'
import { formatUrlState, historyMode, parseUrlState, viewOnlyChange, type UrlState } from './urlState.ts'
import './app.css'

type Boot =
  | { phase: 'connecting' }
  | { phase: 'signIn'; client: AtlasClient; error?: string }
  | { phase: 'ready'; client: AtlasClient; stats: LayerStats; role: AppRole | null; cityBounds: Bbox | null }
  | { phase: 'failed'; error: AtlasError }

export function App() {
  const [url, setUrlState] = useState<UrlState>(() => parseUrlState(window.location.hash))
  const [boot, setBoot] = useState<Boot>({ phase: 'connecting' })
  const [attempt, setAttempt] = useState(0)

  const setUrl = useCallback((update: (state: UrlState) => UrlState) => setUrlState((state) => update(state)), [])
  // The state that came from the address (the first load, Back, Forward, an edited hash): written
  // back in place, never as a new entry. And when the last change that made an entry was.
  const arrived = useRef<UrlState | null>(url)
  const lastChange = useRef(-Infinity)
  const latestUrl = useRef(url)
  latestUrl.current = url
  useEffect(() => {
    const hash = formatUrlState(url)
    const previous = window.location.hash
    if (hash !== previous) {
      const now = performance.now()
      const mode = url === arrived.current ? 'replace' : historyMode(previous, hash, now - lastChange.current)
      if (mode === 'push') window.history.pushState(null, '', hash)
      else window.history.replaceState(null, '', hash)
      if (url !== arrived.current && !viewOnlyChange(previous, hash)) lastChange.current = now
    }
    document.documentElement.lang = url.lang === 'zh' ? 'zh-CN' : 'en'
  }, [url])
  useEffect(() => {
    const onHash = () => {
      const next = parseUrlState(window.location.hash)
      // a hash without a view leaves the map where it is
      if (!next.view) next.view = latestUrl.current.view
      arrived.current = next
      // what the user does next is a change of its own, not part of the burst before
      lastChange.current = -Infinity
      setUrlState(next)
    }
    window.addEventListener('hashchange', onHash)
    return () => window.removeEventListener('hashchange', onHash)
  }, [])

  const finish = useCallback(async (client: AtlasClient, role: AppRole | null) => {
    const stats = await layerStats(client)
    setBoot({ phase: 'ready', client, stats, role, cityBounds: await unitsExtent(client, stats) })
  }, [])

  useEffect(() => {
    let cancelled = false
    setBoot({ phase: 'connecting' })
    ;(async () => {
      const config = await loadBackendConfig()
      const client = createAtlasClient(config)
      if (config.mode === 'embedded') {
        const role = await signInAsRole(client, url.role ?? 'leader')
        if (!cancelled) await finish(client, role)
      } else {
        const role = await currentRole(client)
        if (cancelled) return
        if (role) await finish(client, role)
        else setBoot({ phase: 'signIn', client })
      }
    })().catch((error) => {
      if (!cancelled) setBoot({ phase: 'failed', error: toAtlasError(error) })
    })
    return () => {
      cancelled = true
    }
    // a new attempt starts over; the role is read once here, later switches go through the atlas
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt, finish])

  useEffect(() => {
    if (boot.phase !== 'ready') document.documentElement.dataset.atlasState = boot.phase === 'failed' ? 'error' : 'booting'
  }, [boot.phase])

  const t = translator(url.lang)
  return (
    <I18nProvider lang={url.lang}>
      {boot.phase === 'ready' ? (
        <Atlas client={boot.client} stats={boot.stats} cityBounds={boot.cityBounds} initialRole={boot.role} url={url} setUrl={setUrl} />
      ) : (
        <div className="boot">
          <h1>{t('app.title')}</h1>
          {boot.phase === 'connecting' && (
            <div className="boot-progress" data-testid="progress">
              <div className="progress-bar" />
              {t('app.loading')}
            </div>
          )}
          {boot.phase === 'failed' && (
            <div className="error-banner boot-error" data-testid="error" role="alert">
              <div>
                <strong>{t('app.bootFailed')}</strong>
                <div>{boot.error.status ? `${t('error.http', { status: boot.error.status })}: ` : ''}{boot.error.message}</div>
              </div>
              <button
                data-testid="retry"
                onClick={() => {
                  // not in error from the click on: the new attempt's state arrives a render later
                  document.documentElement.dataset.atlasState = 'booting'
                  setAttempt((a) => a + 1)
                }}
              >
                {t('app.retry')}
              </button>
            </div>
          )}
          {boot.phase === 'signIn' && <SignIn error={boot.error} onSignIn={(email, password) => signIn(boot.client, email, password).then((role) => finish(boot.client, role)).catch((e) => setBoot({ phase: 'signIn', client: boot.client, error: toAtlasError(e).message }))} />}
        </div>
      )}
    </I18nProvider>
  )
}

/**
 * The city view: the extent of the street offices (the county outline is far larger than the
 * city), or of whatever the database holds when it has no street offices.
 */
async function unitsExtent(client: AtlasClient, stats: LayerStats): Promise<Bbox | null> {
  if (!stats.bbox) return null
  const streets = await mapLayer(client, 'street', stats.bbox, 10)
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity]
  const visit = (c: unknown): void => {
    if (Array.isArray(c) && typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0] as number)
      box[1] = Math.min(box[1], c[1] as number)
      box[2] = Math.max(box[2], c[0] as number)
      box[3] = Math.max(box[3], c[1] as number)
    } else if (Array.isArray(c)) c.forEach(visit)
  }
  for (const feature of streets.features) visit((feature.geometry as { coordinates?: unknown } | null)?.coordinates)
  return Number.isFinite(box[0]) ? box : stats.bbox
}

function SignIn({ error, onSignIn }: { error?: string; onSignIn: (email: string, password: string) => void }) {
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const t = translator(parseUrlState(window.location.hash).lang)
  return (
    <form
      className="signin panel"
      onSubmit={(event) => {
        event.preventDefault()
        onSignIn(email, password)
      }}
    >
      <h2>{t('signin.title')}</h2>
      <p className="muted">{t('signin.hint')}</p>
      <label className="field">
        {t('signin.email')}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
      </label>
      <label className="field">
        {t('signin.password')}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
      </label>
      {error && <p className="inline-error">{t('signin.failed', { message: error })}</p>}
      <button className="primary" type="submit">
        {t('signin.submit')}
      </button>
    </form>
  )
}
