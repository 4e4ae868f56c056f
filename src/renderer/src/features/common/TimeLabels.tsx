// Time labels that follow the shared clock. Each re-renders only when its own text changes.
import { formatAgo, formatExact, formatTimeLeft, isoOrUndefined } from '../../lib/time.ts'
import { useNowLabel } from '../../store/provider.tsx'

interface CellProps {
  /**
   * The label is a grid cell with these classes: the <time> is the cell itself (role gridcell), one element where a
   * cell holding a label would be two; the list draws three per row. An unknown time sits in a plain cell.
   */
  readonly cell?: string
}

function Unknown({ cell, text }: { readonly cell: string | undefined; readonly text: string }): React.JSX.Element {
  const label = <span className="muted">{text}</span>
  return cell === undefined ? (
    label
  ) : (
    <div role="gridcell" className={cell}>
      {label}
    </div>
  )
}

/** "3 d 4 h" left (or "expired 2 h ago"), with the exact expiry on hover. */
export function TimeLeft({ expiresAt, cell }: { readonly expiresAt: number | null } & CellProps): React.JSX.Element {
  const label = useNowLabel((now) => formatTimeLeft(expiresAt, now))
  if (expiresAt === null) return <Unknown cell={cell} text="unknown" />
  const exact = formatExact(expiresAt)
  return (
    <time role={cell === undefined ? undefined : 'gridcell'} className={cell} dateTime={isoOrUndefined(expiresAt)} title={`Expires ${exact}`}>
      {label}
    </time>
  )
}

/** "12 min ago", with the exact moment on hover; "never" when it has not happened. */
export function Ago({ at, what, cell }: { readonly at: number | null; readonly what: string } & CellProps): React.JSX.Element {
  const label = useNowLabel((now) => formatAgo(at, now))
  if (at === null) return <Unknown cell={cell} text={label} />
  return (
    <time role={cell === undefined ? undefined : 'gridcell'} className={cell} dateTime={isoOrUndefined(at)} title={`${what} ${formatExact(at)}`}>
      {label}
    </time>
  )
}
