// Search by name or code (Chinese or digits): results as you type, Enter takes the first.
import { useCity } from '../city/context.ts'
import { useEffect, useRef, useState } from 'react'
import { searchUnits } from '../data/api.ts'
import type { AtlasClient } from '../data/client.ts'
import { toAtlasError } from '../data/errors.ts'
import type { SearchHit } from '../data/types.ts'
import { useI18n } from '../i18n/react.tsx'

export function Search({ client, onPick }: { client: AtlasClient; onPick: (hit: SearchHit) => void }) {
  const { t } = useI18n()
  const city = useCity()
  const [query, setQuery] = useState('')
  const [hits, setHits] = useState<SearchHit[] | null>(null)
  const [message, setMessage] = useState<string | null>(null)
  const [open, setOpen] = useState(false)
  const [active, setActive] = useState(0)
  const latest = useRef<{ q: string; hits: SearchHit[] | null }>({ q: '', hits: null })

  useEffect(() => {
    const q = query.trim()
    if (!q) return
    const controller = new AbortController()
    const timer = setTimeout(() => {
      searchUnits(client, q, 10, controller.signal)
        .then((found) => {
          latest.current = { q, hits: found }
          setHits(found)
          setActive(0)
          setMessage(found.length ? null : t('search.none', { q }))
        })
        .catch((error) => {
          if (controller.signal.aborted) return
          setHits([])
          setMessage(t('search.failed', { message: toAtlasError(error).message }))
        })
    }, 150)
    return () => {
      clearTimeout(timer)
      controller.abort()
    }
  }, [client, query, t])

  /** A new query: searching, the last answer kept until the next one comes; nothing for an empty field. */
  const change = (next: string) => {
    setQuery(next)
    if (next.trim()) setMessage(t('search.searching'))
    else {
      setHits(null)
      setMessage(null)
    }
  }

  const pick = (hit: SearchHit) => {
    setOpen(false)
    change(hit.name)
    onPick(hit)
  }

  const takeFirst = async () => {
    const q = query.trim()
    if (!q) return
    // Enter may come before the debounced search: ask now rather than take a stale list
    const list = latest.current.q === q && latest.current.hits ? latest.current.hits : await searchUnits(client, q, 10).catch(() => [])
    if (list.length) pick(list[Math.min(active, list.length - 1)])
    else setMessage(t('search.none', { q }))
  }

  const onKey = (event: React.KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((a) => Math.min(a + 1, (hits?.length ?? 1) - 1))
    else if (event.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0))
    else if (event.key === 'Escape') setOpen(false)
    else if (event.key === 'Enter') void takeFirst()
  }

  return (
    <div className="search" role="search">
      <input
        data-testid="search-input"
        type="search"
        value={query}
        placeholder={city.search_example ? t('search.placeholderExample', { example: city.search_example }) : t('search.placeholder')}
        aria-label={t('search.label')}
        onChange={(event) => {
          change(event.target.value)
          setOpen(true)
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKey}
      />
      {open && query.trim() && (hits?.length || message) ? (
        <ul className="search-results" role="listbox">
          {hits?.map((hit, i) => (
            <li key={`${hit.layer}:${hit.code}`}>
              <button data-testid="search-result" className={i === active ? 'active' : ''} onMouseDown={(e) => e.preventDefault()} onClick={() => pick(hit)}>
                <span className="hit-name">{hit.name}</span>
                <span className="hit-meta">
                  {t(`layer.${hit.layer}`)}
                  {hit.parent_name ? ` · ${hit.parent_name}` : ''} · {hit.code}
                </span>
              </button>
            </li>
          ))}
          {message && <li className="search-message">{message}</li>}
        </ul>
      ) : null}
    </div>
  )
}
