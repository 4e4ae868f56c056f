import type { KeyStatusView, LibraryStatus } from '../../../../shared/contract.ts'
import { STATUS_GLYPH, STATUS_LABEL } from '../../lib/status.ts'
import './status-badge.css'

/**
 * The status in words, with a shape and a colour beside it (never colour alone). The shape is drawn by the style
 * sheet from data-glyph, with an empty alternative text, so screen readers read the word only; one element, as the
 * list draws one per row.
 */
export function StatusBadge({ status }: { readonly status: LibraryStatus | KeyStatusView }): React.JSX.Element {
  return (
    <span className={`badge badge-${status}`} data-glyph={STATUS_GLYPH[status]}>
      {STATUS_LABEL[status]}
    </span>
  )
}
