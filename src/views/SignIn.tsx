// The sign-in form, for the accounts of a Supabase project or of the embedded server outside its
// demonstration (made by the administrator with `atlas user add`). A failure says why in words:
// wrong credentials, too many failures from this address, no server, no database.
import { useState } from 'react'
import { isDatabaseLost, type AtlasError } from '../data/errors.ts'
import type { Translate } from '../i18n/index.ts'
import { useI18n } from '../i18n/react.tsx'

export interface SignInProps {
  /** Where the accounts come from: the hint names the way they are made. */
  backend: 'embedded' | 'supabase'
  /** Why the form is shown again: the server ended the session. */
  ended?: boolean
  error?: AtlasError
  /** The email last signed in with on this page, filled in again. */
  initialEmail?: string
  onSignIn: (email: string, password: string) => Promise<void>
  onLanguage: () => void
}

/** A failed sign-in in words. */
export function signInFailure(t: Translate, error: AtlasError): string {
  if (isDatabaseLost(error)) return `${t('database.lost')}: ${error.message} ${t('database.restoreHint')}`
  if (error.kind === 'network') return t('signin.network', { message: error.message })
  if (error.status === 429 || error.code === 'over_request_rate_limit') return limitedWords(t, error.message)
  if (error.code === 'invalid_credentials' || (error.status === 400 && /invalid login credentials/i.test(error.message))) return t('signin.badCredentials')
  return t('signin.failed', { message: error.message })
}

/**
 * The embedded server states its limit and the wait in its 429's message ("…allows at most 5 failed
 * sign-ins per address in 15 minutes; try again in 14 minutes"): said in the page's language when
 * it reads so, as the server wrote it otherwise (a Supabase project words its own).
 */
function limitedWords(t: Translate, message: string): string {
  const found = /at most (\d+) failed sign-ins per address in (\d+) (second|minute|hour)s?; try again in (\d+) (second|minute|hour)s?/.exec(message)
  if (!found) return t('signin.limited', { message })
  const [, failures, window, windowUnit, wait, waitUnit] = found
  const span = (n: string, unit: string) => t(unit === 'hour' ? 'signin.hours' : unit === 'minute' ? 'signin.minutes' : 'signin.seconds', { n: Number(n) })
  return t('signin.limitedStated', { failures: Number(failures), window: span(window, windowUnit), wait: span(wait, waitUnit) })
}

export function SignIn({ backend, ended, error, initialEmail = '', onSignIn, onLanguage }: SignInProps) {
  const { t } = useI18n()
  const [email, setEmail] = useState(initialEmail)
  const [password, setPassword] = useState('')
  const [busy, setBusy] = useState(false)
  return (
    <form
      className="signin panel"
      data-testid="signin"
      onSubmit={(event) => {
        event.preventDefault()
        setBusy(true)
        // the form goes away on success; on a failure it stays, with the words
        void onSignIn(email, password).finally(() => setBusy(false))
      }}
    >
      <div className="signin-head">
        <h2>{t('signin.title')}</h2>
        <button type="button" className="link" data-testid="lang-switch" title={t('lang.switchTitle')} onClick={onLanguage}>
          {t('lang.switch')}
        </button>
      </div>
      {ended && (
        <p className="notice signin-ended" data-testid="signin-ended" role="status">
          {t('signin.ended')}
        </p>
      )}
      <p className="muted">{backend === 'embedded' ? t('signin.hintEmbedded') : t('signin.hint')}</p>
      <label className="field">
        {t('signin.email')}
        <input data-testid="signin-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required />
      </label>
      <label className="field">
        {t('signin.password')}
        <input data-testid="signin-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
      </label>
      {error && !busy && (
        <p className="inline-error" data-testid="signin-error" role="alert">
          {signInFailure(t, error)}
        </p>
      )}
      <button className="primary" type="submit" data-testid="signin-submit" disabled={busy}>
        {busy ? t('app.signingIn') : t('signin.submit')}
      </button>
    </form>
  )
}
