// The app lock in Settings: idle minutes, lock on screen lock, lock on sleep (in the settings form, saved with the
// rest), and the lock passphrase (its own section: a keychain vault's, set or changed through 'lock.setPassphrase';
// a passphrase vault's lock unlocks with the vault's passphrase).
import { useEffect, useId, useState } from 'react'
import type { LockInfoView } from '../../../../shared/contract.ts'
import { DEFAULT_LOCK_IDLE_MINUTES } from '../../../../shared/contract/lock-words.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { CheckOption } from '../common/CheckOption.tsx'
import { ErrorText } from '../common/Field.tsx'
import type { LockDraft } from '../settings/settings-form.ts'
import { LockPassphraseDialog } from './LockPassphraseDialog.tsx'
import { PRESENCE_WORDS } from './lock-words.ts'
import './lock.css'

/** What the lock offers here, asked once when a part of Settings that needs it is shown. */
function useLockInfo(): LockInfoView | null {
  const info = useApp((state) => state.lockInfo)
  const { loadLockInfo } = useActions()
  useEffect(() => {
    void loadLockInfo()
  }, [loadLockInfo])
  return info
}

export interface LockFieldsProps {
  /** The settings form's id prefix: the idle field is `${idPrefix}-idleMinutes`, where a refusal moves the focus. */
  readonly idPrefix: string
  readonly draft: LockDraft
  readonly error: string | undefined
  onChange(draft: LockDraft): void
}

export function LockFields({ idPrefix, draft, error, onChange }: LockFieldsProps): React.JSX.Element {
  const info = useLockInfo()
  const id = `${idPrefix}-idleMinutes`
  return (
    <fieldset>
      <legend>Lock</legend>
      <p className="field-help">
        Locked, the window shows only the lock screen and tokens go on being refreshed. Lock now is in the top bar.
      </p>
      <div className={`field field-row${error !== undefined ? ' has-error' : ''}`}>
        <label htmlFor={id} className="field-label">
          Lock after this many idle minutes
        </label>
        <span className="with-unit">
          <input
            id={id}
            className="input number"
            inputMode="numeric"
            autoComplete="off"
            spellCheck={false}
            value={draft.idleMinutes}
            aria-invalid={error !== undefined}
            aria-describedby={[error !== undefined ? `${id}-error` : '', `${id}-help`].filter(Boolean).join(' ')}
            onChange={(event) => onChange({ ...draft, idleMinutes: event.target.value })}
          />
          <span className="unit">min</span>
        </span>
        <ErrorText id={`${id}-error`} message={error} alert={false} />
        <p id={`${id}-help`} className="field-help">
          Minutes without input on this computer (keyboard, mouse) before Larder locks; 0: never. Default {DEFAULT_LOCK_IDLE_MINUTES}.
          {info?.idle === 'none' ? ' Larder cannot tell how long this computer has been idle here, so this setting does not lock it.' : ''}
        </p>
      </div>
      <CheckOption
        id={`${idPrefix}-onScreenLock`}
        type="checkbox"
        label="Lock when the screen locks"
        help="When the system locks the screen."
        inlineHelp
        checked={draft.onScreenLock}
        onChange={(checked) => onChange({ ...draft, onScreenLock: checked })}
      />
      <CheckOption
        id={`${idPrefix}-onSuspend`}
        type="checkbox"
        label="Lock when the computer goes to sleep"
        help="Before the computer sleeps; it wakes locked."
        inlineHelp
        checked={draft.onSuspend}
        onChange={(checked) => onChange({ ...draft, onSuspend: checked })}
      />
    </fieldset>
  )
}

/** The lock passphrase: what unlocks Larder here, and (a keychain vault) setting or changing its own. */
export function LockPassphraseSettings(): React.JSX.Element | null {
  const info = useLockInfo()
  const titleId = useId()
  const [dialog, setDialog] = useState<'set' | 'change' | null>(null)
  const [done, setDone] = useState<string | null>(null)
  if (info === null || !info.available) return null
  const presence = info.presence === null ? '' : ` ${PRESENCE_WORDS[info.presence]} can unlock it too.`
  return (
    <section className="lock-passphrase-settings" aria-labelledby={titleId}>
      <h3 id={titleId}>Lock passphrase</h3>
      {info.passphrase === 'vault' ? (
        <p>The lock unlocks with the vault&rsquo;s passphrase: there is no separate lock passphrase to set.{presence}</p>
      ) : info.passphrase === 'none' ? (
        <>
          <p>
            This vault is sealed by the system keychain, which gives its key back without asking you. Lock now needs one of its own: a lock
            passphrase, asked for to unlock.
          </p>
          <button type="button" className="button" onClick={() => setDialog('set')}>
            Set a lock passphrase
          </button>
        </>
      ) : (
        <>
          <p>Larder unlocks with the lock passphrase you chose; it keeps only a check of it.{presence}</p>
          <button type="button" className="button" onClick={() => setDialog('change')}>
            Change the lock passphrase
          </button>
        </>
      )}
      <p role="status" className="saved-note lock-settings-note">
        {done ?? ''}
      </p>
      {dialog !== null ? (
        <LockPassphraseDialog
          mode={dialog}
          submitWords={dialog === 'set' ? 'Set the passphrase' : 'Change the passphrase'}
          onDone={() => {
            setDone(dialog === 'set' ? '✓ Lock passphrase set.' : '✓ Lock passphrase changed.')
            setDialog(null)
          }}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </section>
  )
}
