// What a person can do with a key, each only as its actions allow: check it now, say it was used elsewhere, keep a
// SafetyCulture token alive, paste an Airtable token's regenerated value, record what an admin did to a service token.
import { useId, useState } from 'react'
import type { KeyView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { CheckOption } from '../common/CheckOption.tsx'
import { ErrorText } from '../common/Field.tsx'
import { MaskedInput } from '../common/MaskedInput.tsx'
import { LIFECYCLE_CHOICE, LifecycleDialog, type LifecycleEvent } from './KeyDialogs.tsx'

/** Check now and Used elsewhere just now, beside the last check and the last use they change. */
export function KeyUseButtons({ keyView }: { readonly keyView: KeyView }): React.JSX.Element | null {
  const { checkKey, markKeyUsed } = useActions()
  const [busy, setBusy] = useState<'check' | 'used' | null>(null)
  const canCheck = keyView.actions.includes('check')
  const canMark = keyView.actions.includes('mark_used')
  if (!canCheck && !canMark) return null
  const run = async (what: 'check' | 'used'): Promise<void> => {
    setBusy(what)
    await (what === 'check' ? checkKey(keyView.id) : markKeyUsed(keyView.id))
    setBusy(null)
  }
  return (
    <div className="detail-actions" role="group" aria-label="Actions">
      {canCheck ? (
        <button type="button" className="button primary" disabled={busy !== null} onClick={() => void run('check')}>
          {busy === 'check' ? <span className="spinner" aria-hidden="true" /> : null}
          Check now
        </button>
      ) : null}
      {canMark ? (
        <button type="button" className="button" disabled={busy !== null} onClick={() => void run('used')}>
          Used elsewhere just now
        </button>
      ) : null}
    </div>
  )
}

/** SafetyCulture's keep-alive: off unless a person turns it on, with what it does and what it hides. */
export function KeepAlive({ keyView }: { readonly keyView: Extract<KeyView, { system: 'safetyculture' }> }): React.JSX.Element | null {
  const id = useId()
  const { updateKey } = useActions()
  if (!keyView.actions.includes('keep_alive')) return null
  return (
    <div className="key-keep-alive">
      <CheckOption
        id={id}
        type="checkbox"
        label="Keep it alive"
        checked={keyView.details.keepAlive}
        onChange={(checked) => void updateKey({ id: keyView.id, details: { keepAlive: checked } })}
        help="Larder calls SafetyCulture’s harmless WhoAmI three weeks after each use, so an unused token does not turn inactive at day 30. Off by default: it also hides that nobody really uses the token any more."
      />
    </div>
  )
}

/** Airtable: regenerating a token in Airtable makes a new value; pasted here, the key keeps its name, notes and history. */
export function RegenerateForm({ keyView }: { readonly keyView: KeyView }): React.JSX.Element | null {
  const id = useId()
  const [value, setValue] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { regenerateKey } = useActions()
  if (!keyView.actions.includes('regenerate')) return null
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (value.trim() === '' || busy) return
    setBusy(true)
    const result = await regenerateKey(keyView.id, value.trim())
    setBusy(false)
    if (result.ok) {
      setValue('')
      setError(null)
    } else setError(result.error.message)
  }
  return (
    <form className="reauthorize key-regenerate" onSubmit={(event) => void submit(event)}>
      <h3>Paste regenerated value</h3>
      <p className="field-help">Regenerating a token in Airtable makes its old value stop working at once. Paste the new value: Larder checks it and records the old one as replaced; the key keeps its name, notes and history.</p>
      <label htmlFor={id} className="field-label">
        New token value
      </label>
      <MaskedInput id={id} label="New token value" className="input mono" value={value} disabled={busy} onChange={(event) => setValue(event.target.value)} aria-invalid={error !== null} aria-describedby={error !== null ? `${id}-error` : undefined} />
      <ErrorText id={`${id}-error`} message={error} />
      <button type="submit" className="button small" disabled={busy || value.trim() === ''}>
        {busy ? 'Checking…' : 'Save regenerated value'}
      </button>
    </form>
  )
}

/** A service token's admin actions, as its state allows: each recorded with its date after a confirmation. */
export function AdminActions({ keyView }: { readonly keyView: KeyView }): React.JSX.Element | null {
  const [confirm, setConfirm] = useState<LifecycleEvent | null>(null)
  const events: LifecycleEvent[] = []
  if (keyView.actions.includes('revoke')) events.push('revoked', 'expired')
  if (keyView.actions.includes('restore')) events.push('restored')
  if (keyView.actions.includes('delete')) events.push('deleted')
  if (events.length === 0) return null
  return (
    <section className="key-admin" aria-labelledby={`admin-${keyView.id}`}>
      <h3 id={`admin-${keyView.id}`}>What its admin did</h3>
      <p className="field-help">Larder cannot see the admin’s console: record here what they did, with today’s date.</p>
      <div className="detail-manage" role="group" aria-label="Record what the admin did">
        {events.map((event) => (
          <button key={event} type="button" className="button small" onClick={() => setConfirm(event)}>
            {LIFECYCLE_CHOICE[event].label}
          </button>
        ))}
      </div>
      {confirm !== null ? <LifecycleDialog keyView={keyView} event={confirm} onClose={() => setConfirm(null)} /> : null}
    </section>
  )
}

/** 'YYYY-MM-DD' of a moment in this window's time zone (what a date field shows). */
function dateFieldValue(at: number | null): string {
  if (at === null) return ''
  const date = new Date(at)
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`
}

/** A service token's expiry date as its admin set it: changed here when the admin changes it (empty: none). */
export function ExpiryForm({ keyView }: { readonly keyView: Extract<KeyView, { system: 'service_token' }> }): React.JSX.Element | null {
  const id = useId()
  const current = dateFieldValue(keyView.details.expiresAt)
  const [value, setValue] = useState(current)
  const [busy, setBusy] = useState(false)
  const { updateKey } = useActions()
  if (!keyView.actions.includes('set_expiry')) return null
  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    // The start of the chosen day here: the admin's console names a day, and Larder warns a week before it.
    const expiresAt = value === '' ? null : new Date(`${value}T00:00:00`).getTime()
    if (expiresAt !== null && !Number.isFinite(expiresAt)) return
    setBusy(true)
    await updateKey({ id: keyView.id, details: { expiresAt } })
    setBusy(false)
  }
  return (
    <form className="key-expiry" onSubmit={(event) => void submit(event)}>
      <label htmlFor={id} className="field-label">
        Expiry date set by the admin
      </label>
      <span className="key-expiry-row">
        <input id={id} className="input" type="date" value={value} disabled={busy} onChange={(event) => setValue(event.target.value)} aria-describedby={`${id}-help`} />
        <button type="submit" className="button small" disabled={busy || value === current}>
          Save expiry
        </button>
      </span>
      <span id={`${id}-help`} className="field-help">
        Empty: it does not expire. Larder warns a week before.
      </span>
    </form>
  )
}
