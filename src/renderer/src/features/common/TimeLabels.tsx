// Time labels that follow the shared clock. Each re-renders only when its own text changes.
import { formatAgo, formatExact, formatTimeLeft, isoOrUndefined } from '../../lib/time.ts'
import { useNowLabel } from '../../store/provider.tsx'

/** "3 d 4 h" left (or "expired 2 h ago"), with the exact expiry on hover. */
export function TimeLeft({ expiresAt }: { readonly expiresAt: number | null }): React.JSX.Element {
  const label = useNowLabel((now) => formatTimeLeft(expiresAt, now))
  if (expiresAt === null) return <span className="muted">unknown</span>
  const exact = formatExact(expiresAt)
  return (
    <time dateTime={isoOrUndefined(expiresAt)} title={`Expires ${exact}`}>
      {label}
    </time>
  )
}

/** "12 min ago", with the exact moment on hover; "never" when it has not happened. */
export function Ago({ at, what }: { readonly at: number | null; readonly what: string }): React.JSX.Element {
  const label = useNowLabel((now) => formatAgo(at, now))
  if (at === null) return <span className="muted">{label}</span>
  return (
    <time dateTime={isoOrUndefined(at)} title={`${what} ${formatExact(at)}`}>
      {label}
    </time>
  )
}
