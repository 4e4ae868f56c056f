// A dialog's title with the close button beside it (disabled while the dialog is busy).
import type { ReactNode } from 'react'

export interface DialogHeaderProps {
  readonly titleId: string
  readonly title: ReactNode
  onClose(): void
  readonly busy?: boolean
}

export function DialogHeader({ titleId, title, onClose, busy = false }: DialogHeaderProps): React.JSX.Element {
  return (
    <div className="dialog-header">
      <h2 id={titleId}>{title}</h2>
      <button type="button" className="button ghost small" aria-label="Close" onClick={onClose} disabled={busy}>
        ×
      </button>
    </div>
  )
}
