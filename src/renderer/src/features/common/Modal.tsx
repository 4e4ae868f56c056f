// A modal built on <dialog>: the browser traps focus, makes the page behind it inert, closes on Escape and
// gives focus back to where it was. Rendered only while open, so nothing it holds lingers in the page.
import { useEffect, useRef, type ReactNode } from 'react'
import './modal.css'

export interface ModalProps {
  readonly labelledBy: string
  readonly describedBy?: string
  /** Escape (or the caller's Cancel) asks to close; ignored while `busy`. */
  readonly onDismiss: () => void
  readonly busy?: boolean
  readonly className?: string
  readonly children: ReactNode
}

export function Modal({ labelledBy, describedBy, onDismiss, busy = false, className, children }: ModalProps): React.JSX.Element {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    const dialog = ref.current
    // Unmounting removes the dialog before the browser can hand focus back, so it is given back here.
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null
    if (dialog && !dialog.open) dialog.showModal()
    // The browser focuses the first focusable element (often a close button); the dialog says better.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus()
    return () => {
      if (dialog?.open) dialog.close()
      if (opener?.isConnected) opener.focus()
    }
  }, [])
  return (
    <dialog
      ref={ref}
      className={`modal ${className ?? ''}`}
      aria-labelledby={labelledBy}
      aria-describedby={describedBy}
      onCancel={(event) => {
        // Escape in a dialog opened inside this one is that dialog's, not this one's.
        if (event.target !== event.currentTarget) return
        event.preventDefault()
        if (!busy) onDismiss()
      }}
    >
      {children}
    </dialog>
  )
}
