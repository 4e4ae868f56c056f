// Above the list: how many libraries need attention, each a link that filters the list to them, and
// "Refresh all expiring" with its progress. A revoked library is never counted as fine: it is named as revoked, in a
// quiet tone (it no longer works, but the person revoked it and nothing about it is urgent), after the warnings.
import type { LibraryStatus } from '../../../../shared/contract.ts'
import { selectLibraryCount, selectStatusCounts as selectCounts } from '../../store/selectors.ts'
import { useActions, useApp } from '../../store/provider.tsx'

const WARNINGS: readonly { readonly status: LibraryStatus; readonly words: (n: number) => string }[] = [
  { status: 'needs_reauth', words: (n) => `${n} ${n === 1 ? 'needs' : 'need'} re-authorization` },
  { status: 'expired', words: (n) => `${n} expired` },
  { status: 'error', words: (n) => `${n} in error` },
  { status: 'expiring_soon', words: (n) => `${n} expiring soon` }
]

const REVOKED = { status: 'revoked', words: (n: number) => `${n} revoked` } as const

/** "All 5 libraries are", "The library is", or, beside revoked ones, "4 of 5 libraries are". */
function fineSubject(working: number, total: number): string {
  if (working === total) return total === 1 ? 'The library is' : `All ${total.toLocaleString()} libraries are`
  return `${working.toLocaleString()} of ${total.toLocaleString()} ${total === 1 ? 'library' : 'libraries'} ${working === 1 ? 'is' : 'are'}`
}

function BulkProgress(): React.JSX.Element | null {
  const bulk = useApp((state) => state.bulk)
  if (!bulk?.running) return null
  return (
    <span className="bulk-progress">
      <progress max={bulk.total} value={bulk.done} aria-label="Refresh all expiring" />
      <span>
        Refreshing {Math.min(bulk.done + 1, bulk.total)} of {bulk.total}…
      </span>
    </span>
  )
}

export function WarningsBanner(): React.JSX.Element {
  const counts = useApp(selectCounts)
  const total = useApp(selectLibraryCount)
  const activeStatus = useApp((state) => state.filter.status)
  const running = useApp((state) => state.bulk?.running === true)
  // It refreshes the libraries the list holds: all of them only once the whole list is in.
  const partial = useApp((state) => state.listing !== null)
  const { setStatusFilter, refreshAllExpiring } = useActions()
  const shown = WARNINGS.filter(({ status }) => counts[status] > 0)
  const links = counts.revoked > 0 ? [...shown, REVOKED] : shown
  const working = total - counts.revoked
  const refreshable = counts.expiring_soon + counts.expired
  const trouble = counts.needs_reauth + counts.expired + counts.error
  const tone = trouble > 0 ? 'banner-trouble' : shown.length > 0 ? 'banner-warning' : counts.revoked > 0 ? 'banner-quiet' : 'banner-calm'
  return (
    <section className={`banner ${tone}`} aria-label="Warnings">
      {shown.length === 0 && working > 0 ? (
        <p className="banner-calm-text">
          <span aria-hidden="true">✓ </span>
          {fineSubject(working, total)} fine: nothing is expiring soon, expired or failing.
        </p>
      ) : null}
      {links.length > 0 ? (
        <ul className="banner-list">
          {links.map(({ status, words }) => (
            <li key={status}>
              <button
                type="button"
                className={`banner-link banner-link-${status}`}
                aria-pressed={activeStatus === status}
                onClick={() => setStatusFilter(activeStatus === status ? 'all' : status)}
              >
                {words(counts[status])}
              </button>
              {status === 'revoked' && shown.length === 0 ? <span className="banner-quiet-text"> no longer refreshed or copied</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      <div className="banner-actions">
        <BulkProgress />
        {refreshable > 0 || running ? (
          <button
            type="button"
            className="button"
            disabled={running || partial}
            title={partial ? 'Available once every library is loaded' : undefined}
            onClick={() => void refreshAllExpiring()}
          >
            Refresh all expiring
          </button>
        ) : null}
      </div>
    </section>
  )
}
