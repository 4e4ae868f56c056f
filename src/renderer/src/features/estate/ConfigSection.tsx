// The configuration without secrets (issue 17 item 4): names, library ids, base URLs, token types and customer labels as
// JSON, for a colleague who will get their own tokens from the owners, or for review. Written by Larder where the
// person chose; no client secret and no token is in it.
import { useId, useState } from 'react'
import type { ConfigWrittenView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { CONFIG_FILTERS, datedName, plural } from './estate-words.ts'
import { PathField } from './PathField.tsx'

export function ConfigSection(): React.JSX.Element {
  const uid = useId()
  const { exportConfig } = useActions()
  const [path, setPath] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [written, setWritten] = useState<ConfigWrittenView | null>(null)

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    setWritten(null)
    if (path.trim() === '') {
      setError('Choose where to save the configuration.')
      document.getElementById(`${uid}-path`)?.focus()
      return
    }
    setError(null)
    setBusy(true)
    const result = await exportConfig(path.trim())
    setBusy(false)
    if (result.ok) setWritten(result.value)
    else setError(result.error.message)
  }

  return (
    <div className="estate-section">
      <form className="estate-form" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${uid}-title`}>
        <h3 id={`${uid}-title`}>Configuration without secrets</h3>
        <p className="estate-intro">
          Names, library ids, API base URLs, token types and customer labels, as JSON: no client secret and no token. For a colleague who will get their own tokens from the
          owners, or for review.
        </p>
        <PathField
          id={`${uid}-path`}
          label="Save the configuration to"
          request={{ purpose: 'config', mode: 'save', suggestedName: datedName('larder-config', 'json'), filters: [...CONFIG_FILTERS] }}
          value={path}
          onChange={(chosen) => {
            setPath(chosen)
            setError(null)
          }}
          error={error}
          disabled={busy}
        />
        <div className="form-actions">
          <button type="submit" className="button primary" disabled={busy}>
            Export configuration
          </button>
        </div>
      </form>
      {written !== null ? (
        <div className="notice notice-info estate-result" role="status">
          <p>
            Configuration written to <span className="mono wrap">{written.path}</span>: {plural(written.libraries, 'library', 'libraries')}, {plural(written.keys, 'key', 'keys')}, no
            secrets.
          </p>
        </div>
      ) : null}
    </div>
  )
}
