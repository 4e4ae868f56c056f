// What the window shows while Larder is locked ('guarded'), and nothing else: since when and why, that refreshes go
// on, and the way back in: the passphrase (the vault's, or a keychain vault's lock passphrase) or, where the OS has
// one, its user-presence prompt. A wrong passphrase is said at the field; after too many, Unlock waits as Larder says.
import { useState } from 'react'
import type { VaultState } from '../../../../shared/contract.ts'
import { formatAgo, formatExact } from '../../lib/time.ts'
import { useActions, useApp, useNowLabel } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'
import { PassphraseForm } from '../vault/PassphraseForm.tsx'
import { VaultCard } from '../vault/VaultScreen.tsx'
import { LOCK_REASON_WORDS, PRESENCE_WORDS, REFRESHES_GO_ON } from './lock-words.ts'
import { useSecondsUntil } from './useSecondsUntil.ts'
import './lock.css'

type Guarded = Extract<VaultState, { state: 'guarded' }>

export function LockScreen(): React.JSX.Element | null {
  const vault = useApp((state) => state.vault)
  return vault?.state === 'guarded' ? <Locked state={vault} /> : null
}

function Locked({ state }: { readonly state: Guarded }): React.JSX.Element {
  const { unlockLock } = useActions()
  const ago = useNowLabel((now) => formatAgo(state.since, now))
  const wait = useSecondsUntil(state.retryAt)
  const ownPassphrase = state.cipher === 'keychain'
  const presence = state.unlockWith.includes('presence')
  return (
    <VaultCard title="Larder is locked" className="lock-screen">
      <p>
        Locked since <time dateTime={new Date(state.since).toISOString()}>{formatExact(state.since)}</time> ({ago}). {LOCK_REASON_WORDS[state.reason]}.
      </p>
      <p className="notice notice-info">{REFRESHES_GO_ON}</p>
      {state.waiting === 'copy' ? <p className="notice notice-warning">The copy you asked for from the tray is done once you unlock.</p> : null}
      {presence ? <PresenceUnlock /> : null}
      <p>
        {presence ? 'Or enter' : 'Enter'}{' '}
        {ownPassphrase
          ? 'the lock passphrase you chose for Larder (the vault itself is sealed by the system keychain).'
          : 'the passphrase of Larder’s vault.'}
      </p>
      <PassphraseForm
        mode="unlock"
        autoComplete="off"
        words={{ passphrase: ownPassphrase ? 'Lock passphrase' : 'Passphrase' }}
        submit={(passphrase) => unlockLock({ passphrase })}
        blocked={wait > 0}
        status={wait > 0 ? `${state.failures} wrong passphrases: try again in ${wait} s.` : ''}
      />
    </VaultCard>
  )
}

/** The OS's prompt (Touch ID), offered first where Larder says it unlocks. */
function PresenceUnlock(): React.JSX.Element {
  const { unlockLock } = useActions()
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const word = PRESENCE_WORDS.touch_id
  const ask = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    const result = await unlockLock({ presence: true })
    setBusy(false)
    if (!result.ok) setError(result.error.message)
  }
  return (
    <div className="lock-presence">
      <button type="button" className="button primary" disabled={busy} onClick={() => void ask()}>
        Unlock with {word}
      </button>
      <ErrorText message={error} />
    </div>
  )
}
