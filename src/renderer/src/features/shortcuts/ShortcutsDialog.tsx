// "?" anywhere outside a text field (or the link under the list) shows every keyboard shortcut, written from the one
// table the key handlers read (shortcuts.ts). A modal dialog: the page behind is inert, Escape closes it, and the
// focus goes back to where it was.
import { Fragment, useEffect, useId, useRef, useState } from 'react'
import { DialogHeader } from '../common/DialogHeader.tsx'
import { Modal } from '../common/Modal.tsx'
import { dialogOpen, isTyping, onShowShortcuts } from './keyboard.ts'
import { keyLabel, PLACE_LABEL, SHORTCUTS, shortcutAction, type Shortcut, type ShortcutPlace } from './shortcuts.ts'
import './shortcuts.css'

const PLACES: readonly ShortcutPlace[] = ['anywhere', 'search', 'list', 'tabs', 'dialog']

/** The key a command shortcut is pressed with: ⌘ on a Mac, Ctrl elsewhere. */
export function commandKey(): string {
  return /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl'
}

export function Keys({ shortcut }: { readonly shortcut: Shortcut }): React.JSX.Element {
  // 'c' and 'C' are one key to a person.
  const labels = [...new Set(shortcut.keys.map(keyLabel))]
  return (
    <>
      {shortcut.command ? (
        <>
          <kbd>{commandKey()}</kbd>+
        </>
      ) : null}
      {labels.map((label, index) => (
        <Fragment key={label}>
          {index > 0 ? ' or ' : null}
          <kbd>{label}</kbd>
        </Fragment>
      ))}
    </>
  )
}

export function ShortcutsDialog(): React.JSX.Element | null {
  const [open, setOpen] = useState(false)
  const opener = useRef<HTMLElement | null>(null)
  const titleId = useId()

  useEffect(() => {
    const show = (): void => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null
      setOpen(true)
    }
    const onKey = (event: KeyboardEvent): void => {
      if (shortcutAction('anywhere', event) !== 'showShortcuts' || isTyping(event.target) || dialogOpen()) return
      event.preventDefault()
      show()
    }
    document.addEventListener('keydown', onKey)
    const stop = onShowShortcuts(show)
    return () => {
      document.removeEventListener('keydown', onKey)
      stop()
    }
  }, [])

  if (!open) return null
  const close = (): void => {
    setOpen(false)
    // The browser gives the focus back when a modal closes; said here too, for where it does not.
    const back = opener.current
    opener.current = null
    if (back?.isConnected) queueMicrotask(() => back.focus())
  }
  return (
    <Modal labelledBy={titleId} onDismiss={close} className="shortcuts-dialog">
      <DialogHeader titleId={titleId} title="Keyboard shortcuts" onClose={close} />
      {PLACES.map((place) => (
        <table key={place} className="shortcuts-table">
          <caption>{PLACE_LABEL[place]}</caption>
          <tbody>
            {SHORTCUTS.filter((shortcut) => shortcut.place === place).map((shortcut) => (
              <tr key={shortcut.action}>
                <th scope="row">
                  <Keys shortcut={shortcut} />
                </th>
                <td>{shortcut.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </Modal>
  )
}
