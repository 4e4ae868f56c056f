// A library whose token died (needs re-authorization, or revoked) takes the owner's new pair in place, so it keeps
// its id, settings and history. The pair goes straight to the core and is not kept in this window.
import { useId, useState } from 'react'
import type { LibraryView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { HostTrust, trustLabel, untickedMessage } from '../common/ApiHost.tsx'
import { ErrorText } from '../common/Field.tsx'
import { MaskedInput } from '../common/MaskedInput.tsx'

type Field = 'accessToken' | 'refreshToken'
const LABEL: Record<Field, string> = { accessToken: 'New access token', refreshToken: 'New refresh token' }

export function ReauthorizeForm({ library }: { readonly library: LibraryView }): React.JSX.Element {
  const uid = useId()
  const [draft, setDraft] = useState<Record<Field, string>>({ accessToken: '', refreshToken: '' })
  const [error, setError] = useState<{ readonly field: Field | null; readonly message: string } | null>(null)
  const [saving, setSaving] = useState(false)
  const { reauthorizeLibrary } = useActions()
  // The new pair goes to the library's host: one that is not Apicbase's is confirmed again (Larder checks too).
  const untrusted = library.apiHostKind === 'other' ? library.apiHost : null
  const [trusted, setTrusted] = useState(false)
  const [hostError, setHostError] = useState<string | null>(null)

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    const missing = (['accessToken', 'refreshToken'] as const).find((field) => draft[field].trim() === '')
    if (missing) {
      setError({ field: missing, message: `${LABEL[missing]} is empty` })
      return
    }
    if (untrusted !== null && !trusted) {
      setHostError(untickedMessage(untrusted))
      document.getElementById(`${uid}-trust`)?.focus()
      return
    }
    setSaving(true)
    setError(null)
    setHostError(null)
    const result = await reauthorizeLibrary(library.id, untrusted === null ? draft : { ...draft, confirmedHost: untrusted })
    setSaving(false)
    if (result.ok) {
      setDraft({ accessToken: '', refreshToken: '' })
      setTrusted(false)
      return
    }
    if (result.error.field === 'confirmedHost') {
      setHostError(result.error.message)
      return
    }
    const field = result.error.field === 'accessToken' || result.error.field === 'refreshToken' ? result.error.field : result.error.apiKind === 'invalid_grant' ? 'refreshToken' : null
    setError({ field, message: result.error.message })
  }

  const input = (field: Field): React.JSX.Element => {
    const id = `${uid}-${field}`
    const invalid = error?.field === field
    return (
      <div className={`field${invalid ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          {LABEL[field]}
        </label>
        <MaskedInput
          id={id}
          label={LABEL[field]}
          className="input mono"
          value={draft[field]}
          disabled={saving}
          aria-invalid={invalid}
          aria-describedby={invalid ? `${uid}-error` : undefined}
          onChange={(event) => setDraft((current) => ({ ...current, [field]: event.target.value }))}
        />
      </div>
    )
  }

  return (
    <form className="reauthorize" aria-label={`New token for ${library.name}`} onSubmit={(event) => void submit(event)}>
      <h3>Paste the new token pair</h3>
      <p className="field-help">Larder checks it with Apicbase using this library&rsquo;s client ID and secret, then keeps refreshing it.</p>
      {input('accessToken')}
      {input('refreshToken')}
      {untrusted !== null ? (
        <HostTrust
          id={`${uid}-trust`}
          host={untrusted}
          what="this library’s client secret and the new tokens"
          label={trustLabel(untrusted)}
          checked={trusted}
          onChange={(on) => {
            setTrusted(on)
            setHostError(null)
          }}
          error={hostError}
          disabled={saving}
        />
      ) : null}
      <ErrorText id={`${uid}-error`} message={error?.message} glyph />
      <button type="submit" className="button primary" disabled={saving}>
        {saving ? <span className="spinner" aria-hidden="true" /> : null}
        Save new token
      </button>
    </form>
  )
}
