// Shown instead of the libraries until the vault is open: unlock it, create it with a new passphrase, or
// restore the last good backup of a damaged one. The passphrase goes to Larder and is cleared from the form.
import { useId, useState } from 'react'
import type { VaultState } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { ErrorText, TextField } from '../common/Field.tsx'
import './vault.css'

/** Short passphrases are refused here; Larder's own checks still apply. */
export const MIN_PASSPHRASE_LENGTH = 10

function PassphraseForm({ mode }: { readonly mode: 'unlock' | 'create' }): React.JSX.Element {
  const uid = useId()
  const [passphrase, setPassphrase] = useState('')
  const [repeat, setRepeat] = useState('')
  const [error, setError] = useState<{ readonly field: 'passphrase' | 'repeat'; readonly message: string } | null>(null)
  const [busy, setBusy] = useState(false)
  const { unlockVault } = useActions()
  const creating = mode === 'create'

  const submit = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    if (busy) return
    if (passphrase === '') return setError({ field: 'passphrase', message: 'Enter the passphrase.' })
    if (creating && passphrase.length < MIN_PASSPHRASE_LENGTH) {
      return setError({ field: 'passphrase', message: `Use at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words work well.` })
    }
    if (creating && passphrase !== repeat) return setError({ field: 'repeat', message: 'The two passphrases are not the same.' })
    setError(null)
    setBusy(true)
    const result = await unlockVault(passphrase)
    setBusy(false)
    if (result.ok) {
      setPassphrase('')
      setRepeat('')
      return
    }
    setError({ field: 'passphrase', message: result.error.message })
    document.getElementById(`${uid}-passphrase`)?.focus()
  }

  return (
    <form onSubmit={(event) => void submit(event)} noValidate className="vault-form">
      <TextField
        id={`${uid}-passphrase`}
        label={creating ? 'New passphrase' : 'Passphrase'}
        error={error?.field === 'passphrase' ? error.message : null}
        errorStyle="alert"
        type="password"
        autoComplete={creating ? 'new-password' : 'current-password'}
        autoFocus
        value={passphrase}
        disabled={busy}
        onChange={(event) => setPassphrase(event.target.value)}
      />
      {creating ? (
        <TextField
          id={`${uid}-repeat`}
          label="Repeat the passphrase"
          error={error?.field === 'repeat' ? error.message : null}
          errorStyle="alert"
          type="password"
          autoComplete="new-password"
          value={repeat}
          disabled={busy}
          onChange={(event) => setRepeat(event.target.value)}
        />
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? <span className="spinner" aria-hidden="true" /> : null}
          {creating ? 'Create vault' : 'Unlock'}
        </button>
        <span role="status" className="muted">
          {busy ? (creating ? 'Creating the vault…' : 'Unlocking…') : ''}
        </span>
      </div>
    </form>
  )
}

function Damaged({ state }: { readonly state: Extract<VaultState, { state: 'damaged' }> }): React.JSX.Element {
  const uid = useId()
  const [passphrase, setPassphrase] = useState('')
  const [needsPassphrase, setNeedsPassphrase] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const { restoreVaultBackup } = useActions()
  const restore = async (event: React.FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    const result = await restoreVaultBackup(passphrase === '' ? undefined : passphrase)
    setBusy(false)
    if (result.ok) return
    if (result.error.field === 'passphrase') setNeedsPassphrase(true)
    setError(result.error.message)
  }
  return (
    <>
      <div className="notice notice-error">
        <p>
          <strong>Larder&rsquo;s vault file is damaged</strong> and was not opened. Nothing in it was changed.
        </p>
        <p>{state.message}</p>
      </div>
      {state.backupSavedAt !== null ? (
        <form onSubmit={(event) => void restore(event)} className="vault-form" noValidate>
          <p>
            A backup from <strong>{formatExact(state.backupSavedAt)}</strong> is available. Restoring it puts it in place of the damaged
            file, which is kept beside it. Tokens refreshed after that backup may no longer work; Larder will say which.
          </p>
          {needsPassphrase ? (
            <div className="field">
              <label htmlFor={`${uid}-passphrase`} className="field-label">
                Passphrase
              </label>
              <input id={`${uid}-passphrase`} className="input" type="password" autoFocus value={passphrase} onChange={(event) => setPassphrase(event.target.value)} />
            </div>
          ) : null}
          <ErrorText message={error} />
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={busy}>
              Restore the backup
            </button>
          </div>
        </form>
      ) : (
        <p>There is no backup to restore. Keep the damaged file for support, and add the libraries again with new tokens.</p>
      )}
    </>
  )
}

export function VaultScreen(): React.JSX.Element {
  const vault = useApp((state) => state.vault)
  const titleId = useId()
  const { loadVaultState } = useActions()
  let title = 'Opening Larder…'
  let body: React.JSX.Element = (
    <p role="status" className="muted">
      Opening the vault…
    </p>
  )
  if (vault?.state === 'locked' && vault.mode === 'unlock') {
    title = 'Larder is locked'
    body = (
      <>
        <p>The vault with your libraries&rsquo; tokens is encrypted with your passphrase. Enter it to unlock Larder.</p>
        <PassphraseForm mode="unlock" />
      </>
    )
  } else if (vault?.state === 'locked') {
    title = 'Choose a passphrase'
    body = (
      <>
        <p>
          This computer has no system keychain Larder can trust, so Larder encrypts its vault with a passphrase you choose. You will
          enter it each time Larder starts.
        </p>
        <p>
          <strong>Nobody can recover it.</strong> If it is lost, every library needs a new token from its owner.
        </p>
        <PassphraseForm mode="create" />
      </>
    )
  } else if (vault?.state === 'damaged') {
    title = 'The vault needs attention'
    body = <Damaged state={vault} />
  } else if (vault?.state === 'failed') {
    title = 'Larder could not open its vault'
    body = (
      <div className="notice notice-error" role="alert">
        <p>{vault.message}</p>
        <button type="button" className="button" onClick={() => void loadVaultState()}>
          Check again
        </button>
      </div>
    )
  }
  return (
    <section className="page vault-screen" aria-labelledby={titleId}>
      <div className="vault-card">
        <h2 id={titleId}>{title}</h2>
        {body}
      </div>
    </section>
  )
}
