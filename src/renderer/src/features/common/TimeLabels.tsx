// Time labels that follow the shared clock. Each re-renders only when its own text changes.
//
// The exact moment is not rendered: it goes into the tooltip when the pointer reaches the label. Building the date
// format takes 40–200 ms the first time in a new page (ICU's locale data), which the first render with rows must
// not pay; a tooltip shows only after a hover delay anyway, and by then the format is built (main.tsx prepares it
// once the list is on screen).
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

/** Sets the element's tooltip to `what` + the exact moment, as the pointer arrives (the moment may have changed since). */
function exactTitle(what: string, at: number): (event: React.PointerEvent<HTMLElement>) => void {
  return (event) => {
    event.currentTarget.title = `${what} ${formatExact(at)}`
  }
}

/** "3 d 4 h" left (or "expired 2 h ago"), with the exact expiry on hover. */
export function TimeLeft({ expiresAt, cell }: { readonly expiresAt: number | null } & CellProps): React.JSX.Element {
  const label = useNowLabel((now) => formatTimeLeft(expiresAt, now))
  if (expiresAt === null) return <Unknown cell={cell} text="unknown" />
  return (
    <time role={cell === undefined ? undefined : 'gridcell'} className={cell} dateTime={isoOrUndefined(expiresAt)} onPointerOver={exactTitle('Expires', expiresAt)}>
      {label}
    </time>
  )
}

/** "12 min ago", with the exact moment on hover; "never" when it has not happened. */
export function Ago({ at, what, cell }: { readonly at: number | null; readonly what: string } & CellProps): React.JSX.Element {
  const label = useNowLabel((now) => formatAgo(at, now))
  if (at === null) return <Unknown cell={cell} text={label} />
  return (
    <time role={cell === undefined ? undefined : 'gridcell'} className={cell} dateTime={isoOrUndefined(at)} onPointerOver={exactTitle(what, at)}>
      {label}
    </time>
  )
}
