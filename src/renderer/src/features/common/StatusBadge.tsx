import type { LibraryStatus } from '../../../../shared/contract.ts'
import { STATUS_GLYPH, STATUS_LABEL } from '../../lib/status.ts'
import './status-badge.css'

/** The status in words, with a shape and a colour beside it (never colour alone). */
export function StatusBadge({ status }: { readonly status: LibraryStatus }): React.JSX.Element {
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-glyph" aria-hidden="true">
        {STATUS_GLYPH[status]}
      </span>
      <span className="badge-text">{STATUS_LABEL[status]}</span>
    </span>
  )
}
