// The detail page's "Rate limit" line: what Apicbase's rate-limit headers last said for this token (limit, what is
// left, when the window resets) and, after a 429, until when Larder sends nothing for it.
import type { LibraryView } from '../../../../shared/contract.ts'
import { formatAgo, formatExact, formatSpan, isoOrUndefined } from '../../lib/time.ts'
import { useNowLabel } from '../../store/provider.tsx'

function figures(limit: number | null, remaining: number | null): string {
  if (limit !== null && remaining !== null) return `${remaining} of ${limit} requests left`
  if (remaining !== null) return `${remaining} requests left`
  return limit !== null ? `${limit} requests a window` : 'Apicbase sent no figures'
}

export function RateLimitLine({ library }: { readonly library: LibraryView }): React.JSX.Element {
  const rate = library.rateLimit ?? null
  const reset = useNowLabel((now) => (rate?.resetAt == null ? '' : rate.resetAt > now ? `resets in ${formatSpan(rate.resetAt - now + 999)}` : 'window has reset'))
  const seen = useNowLabel((now) => (rate?.observedAt == null ? '' : formatAgo(rate.observedAt, now)))
  const waiting = useNowLabel((now) => (rate?.waitingUntil == null || rate.waitingUntil <= now ? '' : `in ${formatSpan(rate.waitingUntil - now + 999)}`))
  if (rate === null) return <span className="muted">No figures yet: Apicbase sends them with each answer</span>
  return (
    <span className="rate-limit-line">
      {rate.observedAt === null ? null : (
        <>
          {figures(rate.limit, rate.remaining)}
          {reset === '' ? null : ` · ${reset}`}
          <span className="muted">
            {' '}
            (as of{' '}
            <time dateTime={isoOrUndefined(rate.observedAt)} title={formatExact(rate.observedAt)}>
              {seen}
            </time>
            )
          </span>
        </>
      )}
      {waiting === '' || rate.waitingUntil === null ? null : (
        <span className="rate-limit-waiting" role="status">
          <span aria-hidden="true">◷ </span>
          Waiting until{' '}
          <time dateTime={isoOrUndefined(rate.waitingUntil)} title={formatExact(rate.waitingUntil)}>
            {formatExact(rate.waitingUntil)}
          </time>{' '}
          ({waiting}): Apicbase answered 429 Too Many Requests, so Larder sends nothing for this token until then.
        </span>
      )}
    </span>
  )
}
