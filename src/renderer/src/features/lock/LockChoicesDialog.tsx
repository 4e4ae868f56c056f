// The two ways to lock, side by side: Lock now (refreshes go on) and, where Larder can forget the vault's key, the
// stronger "Lock and forget the key", with its warning: refreshes stop until the vault is unlocked. Where it cannot
// (a keychain vault: the keychain gives the key back), Larder's own sentence says why.
import { useEffect, useId, useState } from 'react'
import { useActions, useApp } from '../../store/provider.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { ErrorText } from '../common/Field.tsx'
import { Modal } from '../common/Modal.tsx'
import { commandKey } from '../shortcuts/ShortcutsDialog.tsx'
import { FORGET_WARNING, REFRESHES_GO_ON } from './lock-words.ts'

export interface LockChoicesDialogProps {
  /** Lock now, as the top bar's button does (it may ask for a lock passphrase first). */
  onLockNow(): void
  onClose(): void
}

export function LockChoicesDialog({ onLockNow, onClose }: LockChoicesDialogProps): React.JSX.Element {
  const titleId = useId()
  const info = useApp((state) => state.lockInfo)
  const { loadLockInfo, lockAndForget } = useActions()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  useEffect(() => {
    void loadLockInfo().then((result) => {
      if (!result.ok) setError(result.error.message)
    })
  }, [loadLockInfo])

  const forget = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    const result = await lockAndForget()
    setBusy(false)
    if (!result.ok) setError(result.error.message)
  }

  return (
    <Modal labelledBy={titleId} onDismiss={onClose} busy={busy} className="lock-dialog">
      <DialogHeader titleId={titleId} title="Lock Larder" onClose={onClose} busy={busy} />
      <div className="lock-choice">
        <button type="button" className="button primary" data-autofocus disabled={busy} onClick={onLockNow}>
          Lock now
        </button>
        <p>
          {REFRESHES_GO_ON} Shortcut: <kbd>{commandKey()}</kbd>+<kbd>L</kbd>.
        </p>
      </div>
      <div className="lock-choice">
        {info === null ? (
          <p role="status" className="muted">
            Checking what Larder can do here…
          </p>
        ) : info.canForget ? (
          <>
            <div className="notice notice-warning">
              <p>
                <strong>Refreshes stop.</strong> {FORGET_WARNING}
              </p>
            </div>
            <button type="button" className="button danger" disabled={busy} onClick={() => void forget()}>
              Lock and forget the key
            </button>
          </>
        ) : (
          <p>
            <strong>Lock and forget the key</strong> is not offered here. {info.forgetNote}
          </p>
        )}
      </div>
      <ErrorText message={error} />
    </Modal>
  )
}
