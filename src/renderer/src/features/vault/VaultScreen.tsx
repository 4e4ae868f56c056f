// Shown instead of the libraries until the vault is open: unlock it, create it with a new passphrase, or
// restore the last good backup of a damaged one. The passphrase goes to Larder and is cleared from the form.
import { useId, useState, type ReactNode } from 'react'
import type { VaultState } from '../../../../shared/contract.ts'
import { formatExact } from '../../lib/time.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { PassphraseForm } from './PassphraseForm.tsx'
import './vault.css'

/** The card in the middle of the window that the vault screen and the lock screen show, under its title. */
export function VaultCard({ title, className, children }: { readonly title: ReactNode; readonly className?: string; readonly children: ReactNode }): React.JSX.Element {
  const titleId = useId()
  return (
    <section className={`page vault-screen${className === undefined ? '' : ` ${className}`}`} aria-labelledby={titleId}>
      <div className="vault-card">
        <h2 id={titleId}>{title}</h2>
        {children}
      </div>
    </section>
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
  const { loadVaultState, unlockVault } = useActions()
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
        <p>While the vault is locked, no token is refreshed.</p>
        <PassphraseForm mode="unlock" submit={unlockVault} />
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
        <PassphraseForm mode="create" submit={unlockVault} />
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
  return <VaultCard title={title}>{body}</VaultCard>
}
