// A keychain vault's lock passphrase, set (before the first Lock now, or from Settings) or changed (the one set now
// first). The keychain gives the vault's key back without asking, so the lock needs a passphrase of its own; Larder
// keeps only a check of it. Typed twice, with the rule; what is typed goes to Larder and leaves the form.
import { useId, type ReactNode } from 'react'
import { useActions } from '../../store/provider.tsx'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { Modal } from '../common/Modal.tsx'
import { PassphraseForm, type PassphraseAnswer } from '../vault/PassphraseForm.tsx'
import { LOCK_PASSPHRASE_WORDS, PASSPHRASE_RULE } from './lock-words.ts'

export interface LockPassphraseDialogProps {
  /** 'set': none yet. 'change': asks for the one set now first. */
  readonly mode: 'set' | 'change'
  /** What the submit button says ('Set and lock' when Lock now waits for it). */
  readonly submitWords: string
  /** Why it is asked for (Larder's own words, when Lock now was refused for want of one). */
  readonly intro?: ReactNode
  /** Runs once Larder took the passphrase; its answer is the form's (a refused lock is said at the field). */
  readonly then?: () => Promise<PassphraseAnswer>
  onDone(): void
  onCancel(): void
}

export function LockPassphraseDialog({ mode, submitWords, intro, then, onDone, onCancel }: LockPassphraseDialogProps): React.JSX.Element {
  const titleId = useId()
  const { setLockPassphrase } = useActions()
  const submit = async (passphrase: string, current?: string): Promise<PassphraseAnswer> => {
    const set = await setLockPassphrase(passphrase, current)
    if (!set.ok) return set
    const after = then ? await then() : set
    if (after.ok) onDone()
    return after
  }
  return (
    <Modal labelledBy={titleId} onDismiss={onCancel} className="lock-dialog">
      <DialogHeader titleId={titleId} title={mode === 'set' ? 'Choose a lock passphrase' : 'Change the lock passphrase'} onClose={onCancel} />
      {intro !== undefined ? <p>{intro}</p> : null}
      <p className="field-help">{PASSPHRASE_RULE}</p>
      <PassphraseForm mode="create" askCurrent={mode === 'change'} words={{ ...LOCK_PASSPHRASE_WORDS, submit: submitWords, busy: 'Saving…' }} submit={submit} onCancel={onCancel} />
    </Modal>
  )
}
