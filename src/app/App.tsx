// The app: connects to the backend (the embedded server that served the page, or a Supabase
// project), signs in, then hands over to the atlas. A failure at any step says what failed and
// offers a retry: the page is never blank.
//
// Signing in: the embedded server's demonstration signs in as the URL's role (the role switch
// changes it); otherwise a session kept from the last visit is used, or the sign-in form is shown.
// A session the server ends (signed out elsewhere, the account changed or removed) brings the form
// back once, with the reason; a database the server has lost puts a banner across the page.
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react'
import { layerStats, mapLayer } from '../data/api.ts'
import { CityContext } from '../city/context.ts'
import type { CityProfile } from '../city/types.ts'
import { StandardsContext, withStandard } from '../standards/context.ts'
import type { Standard } from '../standards/types.ts'
import { createAtlasClient, currentUser, rpc, signIn, signInAsRole, signOut, type AtlasClient, type SignedInUser, type Trouble } from '../data/client.ts'
import { isDemo, loadBackendConfig, type BackendConfig } from '../data/config.ts'
import { isDatabaseLost, isSessionEnded, toAtlasError, type AtlasError } from '../data/errors.ts'
import type { Bbox, LayerStats } from '../data/types.ts'
import { translator } from '../i18n/index.ts'
import { I18nProvider } from '../i18n/react.tsx'
import { SignIn } from '../views/SignIn.tsx'
import { Atlas } from './Atlas.tsx'
import { formatUrlState, historyMode, parseUrlState, viewOnlyChange, type UrlState } from './urlState.ts'
import './app.css'

type Boot =
  | { phase: 'connecting' }
  | { phase: 'signIn'; client: AtlasClient; ended?: boolean; error?: AtlasError }
  | { phase: 'ready'; client: AtlasClient; stats: LayerStats; user: SignedInUser | null; cityBounds: Bbox | null; city: CityProfile; standards: Standard[] }
  | { phase: 'failed'; error: AtlasError }

export function App() {
  const [url, setUrlState] = useState<UrlState>(() => parseUrlState(window.location.hash))
  const [boot, setBootState] = useState<Boot>({ phase: 'connecting' })
  // the phase as it is now, for listeners that run between renders
  const phase = useRef<Boot['phase']>('connecting')
  const setBoot = useCallback((next: Boot) => {
    phase.current = next.phase
    setBootState(next)
  }, [])
  const [attempt, setAttempt] = useState(0)
  // the next boot follows a session the server ended: the form says so
  const ended = useRef(false)
  const [databaseProblem, setDatabaseProblem] = useState<AtlasError | null>(null)
  /** Another attempt: the progress again, no banner until this attempt meets a problem of its own. */
  const startOver = useCallback(() => {
    setBoot({ phase: 'connecting' })
    setDatabaseProblem(null)
    setAttempt((a) => a + 1)
  }, [setBoot])
  // whether the server runs its demonstration (unknown until its config arrives)
  const demo = useRef<boolean | null>(null)

  const setUrl = useCallback((update: (state: UrlState) => UrlState) => setUrlState((state) => update(state)), [])
  // The state that came from the address (the first load, Back, Forward, an edited hash): written
  // back in place, never as a new entry. And when the last change that made an entry was.
  const arrived = useRef<UrlState | null>(url)
  const lastChange = useRef(-Infinity)
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
  const onHash = useEffectEvent(() => {
    const next = parseUrlState(window.location.hash)
    // a hash without a view leaves the map where it is
    if (!next.view) next.view = url.view
    // outside the demonstration the account decides the role, not the address
    if (demo.current === false) next.role = null
    arrived.current = next
    // what the user does next is a change of its own, not part of the burst before
    lastChange.current = -Infinity
    setUrlState(next)
  })
  useEffect(() => {
    const listener = () => onHash()
    window.addEventListener('hashchange', listener)
    return () => window.removeEventListener('hashchange', listener)
  }, [])

  // Outside the demonstration the URL carries no role (the signed-in account has one, and a copied
  // link must not claim another): a role= that came with the address is dropped in place.
  const dropRole = useCallback(() => {
    setUrlState((state) => {
      if (!state.role) return state
      const next = { ...state, role: null }
      arrived.current = next
      return next
    })
  }, [])

  // the account last signed in on this page: the form offers its email again
  const [lastEmail, setLastEmail] = useState<string | undefined>(undefined)
  const finish = useCallback(
    async (client: AtlasClient) => {
      const user = await currentUser(client)
      if (user?.email && !isDemo(client.config)) setLastEmail(user.email)
      const stats = await layerStats(client)
      const cityBounds = await unitsExtent(client, stats)
      const [city, standards] = await Promise.all([rpc(client, 'city_profile', {}), rpc(client, 'standards', {})])
      ended.current = false
      setBoot({ phase: 'ready', client, stats, user, cityBounds, city, standards })
    },
    [setBoot],
  )

  // What the whole page reacts to, whichever request met it first.
  const onTrouble = useCallback(
    (client: AtlasClient, trouble: Trouble) => {
      if (trouble.kind === 'databaseLost') {
        setDatabaseProblem((shown) => shown ?? trouble.error)
        return
      }
      // once: the requests still in flight meet the same refusal, and the form must not come twice
      if (phase.current !== 'ready') return
      phase.current = 'connecting'
      ended.current = true
      // forget the refused session here too, then start again: the server may have left its
      // demonstration meanwhile (its first account added), so its config is read again
      void signOut(client)
        .catch(() => {})
        .finally(startOver)
    },
    [startOver],
  )

  // One client as long as the backend's config stays the same: it holds the session.
  const held = useRef<{ key: string; client: AtlasClient } | null>(null)
  const clientFor = useCallback((config: BackendConfig): AtlasClient => {
    const key = JSON.stringify(config)
    if (held.current?.key === key) return held.current.client
    held.current?.client.dispose()
    const client = createAtlasClient(config)
    client.onTrouble((trouble) => onTrouble(client, trouble))
    held.current = { key, client }
    return client
  }, [onTrouble])

  // the role is read when an attempt starts; later switches go through the atlas
  const roleToBootAs = useEffectEvent(() => url.role ?? 'leader')
  // each attempt starts over (startOver has shown the progress again)
  useEffect(() => {
    let cancelled = false
    const role = roleToBootAs()
    ;(async () => {
      const config = await loadBackendConfig()
      if (cancelled) return
      const client = clientFor(config)
      demo.current = isDemo(config)
      if (isDemo(config)) {
        await signInAsRole(client, role)
        if (!cancelled) await finish(client)
        return
      }
      dropRole()
      const user = await currentUser(client)
      if (cancelled) return
      if (user) await finish(client)
      else {
        setBoot({ phase: 'signIn', client, ended: ended.current })
        ended.current = false
      }
    })().catch(async (error) => {
      if (cancelled) return
      const failure = toAtlasError(error)
      const client = held.current?.client
      if (client && !isDemo(client.config) && isSessionEnded(failure)) {
        // a session kept from an earlier visit that the server no longer honours
        await signOut(client).catch(() => {})
        if (!cancelled) setBoot({ phase: 'signIn', client, ended: true })
      } else setBoot({ phase: 'failed', error: failure })
      ended.current = false
    })
    return () => {
      cancelled = true
    }
  }, [attempt, finish, clientFor, dropRole, setBoot])

  useEffect(() => {
    if (boot.phase !== 'ready') document.documentElement.dataset.atlasState = boot.phase === 'failed' ? 'error' : 'booting'
  }, [boot.phase])

  const signInWith = async (client: AtlasClient, email: string, password: string) => {
    try {
      await signIn(client, email, password)
      await finish(client)
    } catch (error) {
      setBoot({ phase: 'signIn', client, error: toAtlasError(error) })
    }
  }
  const signOutNow = async () => {
    if (boot.phase !== 'ready') return
    const { client } = boot
    phase.current = 'signIn'
    // leaving on purpose: the next person at this computer starts from an empty form
    setLastEmail(undefined)
    // supabase-js forgets the session even when the server cannot be told
    await signOut(client).catch(() => {})
    setBoot({ phase: 'signIn', client })
  }
  const switchLanguage = () => setUrl((s) => ({ ...s, lang: s.lang === 'zh' ? 'en' : 'zh' }))

  const t = translator(url.lang)
  return (
    <I18nProvider lang={url.lang}>
      {boot.phase === 'ready' ? (
        <CityContext.Provider value={boot.city}>
          <StandardsContext.Provider value={boot.standards}>
          <Atlas
            client={boot.client}
            stats={boot.stats}
            cityBounds={boot.cityBounds}
            initialRole={boot.user?.role ?? null}
            email={boot.user?.email ?? null}
            databaseProblem={databaseProblem}
            onSignOut={() => void signOutNow()}
            url={url}
            setUrl={setUrl}
            onCity={(city) => setBoot({ ...boot, city })}
            onStandard={(standard) => setBoot({ ...boot, standards: withStandard(boot.standards, standard) })}
          />
          </StandardsContext.Provider>
        </CityContext.Provider>
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
                <strong>{isDatabaseLost(boot.error) ? t('database.lost') : t('app.bootFailed')}</strong>
                <div>
                  {boot.error.status ? `${t('error.http', { status: boot.error.status })}: ` : ''}
                  {boot.error.message}
                </div>
                {isDatabaseLost(boot.error) && <div className="database-hint">{t('database.restoreHint')}</div>}
              </div>
              <button
                data-testid="retry"
                onClick={() => {
                  // not in error from the click on: the new attempt's state arrives a render later
                  document.documentElement.dataset.atlasState = 'booting'
                  startOver()
                }}
              >
                {t('app.retry')}
              </button>
            </div>
          )}
          {boot.phase === 'signIn' && (
            <SignIn
              backend={boot.client.config.mode}
              ended={boot.ended}
              error={boot.error}
              initialEmail={lastEmail}
              onSignIn={(email, password) => signInWith(boot.client, email, password)}
              onLanguage={switchLanguage}
            />
          )}
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
      box[0] = Math.min(box[0], c[0])
      box[1] = Math.min(box[1], c[1] as number)
      box[2] = Math.max(box[2], c[0])
      box[3] = Math.max(box[3], c[1] as number)
    } else if (Array.isArray(c)) c.forEach(visit)
  }
  for (const feature of streets.features) visit((feature.geometry as { coordinates?: unknown } | null)?.coordinates)
  return Number.isFinite(box[0]) ? box : stats.bbox
}
