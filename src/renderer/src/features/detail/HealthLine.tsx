// The detail page's "Health check" line: what Larder's last cheap read of this library at Apicbase found, when, and
// when the next one is due. Personal tokens are checked through their active library (the section above says so).
import type { HealthCheckView, LibraryView } from '../../../../shared/contract.ts'
import { formatAgo, formatExact, formatSpan, isoOrUndefined } from '../../lib/time.ts'
import { useNowLabel } from '../../store/provider.tsx'

type Outcome = NonNullable<HealthCheckView['outcome']>

const OUTCOME: Readonly<Record<Outcome, { readonly glyph: string; readonly text: string; readonly tone: 'good' | 'warn' | 'bad' }>> = {
  ok: { glyph: '✓', text: 'Token works', tone: 'good' },
  unauthorized: { glyph: '⚠', text: 'Token refused (HTTP 401)', tone: 'bad' },
  forbidden: { glyph: '⚠', text: 'Refused (HTTP 403): a scope or permission is missing', tone: 'bad' },
  unreachable: { glyph: '…', text: 'No usable answer from Apicbase; status unchanged', tone: 'warn' },
  rejected: { glyph: '!', text: 'Apicbase refused the check', tone: 'bad' }
}

function nextLabel(nextAt: number | null, now: number): string {
  if (nextAt === null) return ''
  return nextAt > now ? `next in ${formatSpan(nextAt - now)}` : 'next due now'
}

export function HealthLine({ library }: { readonly library: LibraryView }): React.JSX.Element {
  const health = library.health ?? null
  const when = useNowLabel((now) => (health?.checkedAt == null ? '' : formatAgo(health.checkedAt, now)))
  const next = useNowLabel((now) => nextLabel(health?.nextAt ?? null, now))
  if (health === null) {
    return <span className="muted">{library.personal ? 'Through its active library (see above)' : 'Not checked while the token is not in use'}</span>
  }
  if (health.outcome === null || health.checkedAt === null) {
    return <span className="muted">Not checked since Larder started{next === '' ? '' : ` · ${next}`}</span>
  }
  const shown = OUTCOME[health.outcome]
  return (
    <span className={`health-line health-${shown.tone}`}>
      <span aria-hidden="true">{shown.glyph} </span>
      {shown.text}
      {health.outcome === 'ok' && health.endpoint !== null ? <span className="muted"> (read {health.endpoint})</span> : null}
      {' · '}
      <time dateTime={isoOrUndefined(health.checkedAt)} title={`Checked ${formatExact(health.checkedAt)}`}>
        {when}
      </time>
      {next === '' ? null : <span className="muted"> · {next}</span>}
      {health.outcome !== 'ok' && health.message !== null ? <span className="health-message">{health.message}</span> : null}
    </span>
  )
}
