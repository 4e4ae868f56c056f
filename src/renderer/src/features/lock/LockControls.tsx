// "Lock now" in the top bar (and Ctrl/⌘+L anywhere, a text field too), with "More ways to lock" beside it. A keychain
// vault without a lock passphrase is refused by Larder until it has one: the dialog to set it opens, then Larder locks.
import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import { useActions } from '../../store/provider.tsx'
import { commandKey } from '../shortcuts/ShortcutsDialog.tsx'
import { shortcutAction } from '../shortcuts/shortcuts.ts'
import './lock.css'

// Loaded when first opened: the start's JavaScript stays within its budget.
const LockChoicesDialog = lazy(() => import('./LockChoicesDialog.tsx').then((module) => ({ default: module.LockChoicesDialog })))
const LockPassphraseDialog = lazy(() => import('./LockPassphraseDialog.tsx').then((module) => ({ default: module.LockPassphraseDialog })))

type Open = { readonly kind: 'choices' } | { readonly kind: 'passphrase'; readonly why: string } | null

/** Ctrl+L (⌘L on a Mac) calls `lock`, wherever the focus is. */
function useLockShortcut(lock: () => void): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (shortcutAction('anywhere', event) !== 'lockNow') return
      event.preventDefault()
      lock()
    }
    document.addEventListener('keydown', onKey)
    return () => document.removeEventListener('keydown', onKey)
  }, [lock])
}

function Padlock(): React.JSX.Element {
  return (
    <svg className="padlock" width="14" height="14" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <rect x="3" y="7" width="10" height="7.5" rx="1.5" fill="currentColor" />
      <path d="M5.25 7V5a2.75 2.75 0 0 1 5.5 0v2" fill="none" stroke="currentColor" strokeWidth="1.6" />
    </svg>
  )
}

export function LockControls(): React.JSX.Element {
  const { lockNow, pushToast } = useActions()
  const [open, setOpen] = useState<Open>(null)
  const locking = useRef(false)

  const lock = useCallback((): void => {
    if (locking.current) return
    locking.current = true
    setOpen(null)
    void lockNow().then((result) => {
      locking.current = false
      if (result.ok) return
      if (result.error.field === 'passphrase') setOpen({ kind: 'passphrase', why: result.error.message })
      else pushToast('error', result.error.message)
    })
  }, [lockNow, pushToast])
  useLockShortcut(lock)
  const shortcut = `${commandKey()}+L`

  return (
    <div className="lock-controls">
      <button type="button" className="button" title={`Lock Larder now (${shortcut})`} aria-keyshortcuts="Control+L Meta+L" onClick={lock}>
        <Padlock />
        Lock now
      </button>
      <button type="button" className="button lock-more" aria-label="More ways to lock" aria-haspopup="dialog" title="More ways to lock" onClick={() => setOpen({ kind: 'choices' })}>
        <span aria-hidden="true">▾</span>
      </button>
      <Suspense fallback={null}>
      {open?.kind === 'choices' ? <LockChoicesDialog onLockNow={lock} onClose={() => setOpen(null)} /> : null}
      {open?.kind === 'passphrase' ? (
        <LockPassphraseDialog
          mode="set"
          submitWords="Set and lock"
          intro={open.why}
          then={lockNow}
          onDone={() => setOpen(null)}
          onCancel={() => setOpen(null)}
        />
      ) : null}
      </Suspense>
    </div>
  )
}
