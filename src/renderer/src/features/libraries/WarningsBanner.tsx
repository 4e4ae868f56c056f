// Above the list: how many libraries need attention, each a link that filters the list to them, and
// "Refresh all expiring" with its progress.
import type { LibraryStatus } from '../../../../shared/contract.ts'
import { selectLibraryCount, selectStatusCounts as selectCounts } from '../../store/selectors.ts'
import { useActions, useApp } from '../../store/provider.tsx'

const WARNINGS: readonly { readonly status: LibraryStatus; readonly words: (n: number) => string }[] = [
  { status: 'needs_reauth', words: (n) => `${n} ${n === 1 ? 'needs' : 'need'} re-authorization` },
  { status: 'expired', words: (n) => `${n} expired` },
  { status: 'error', words: (n) => `${n} in error` },
  { status: 'expiring_soon', words: (n) => `${n} expiring soon` }
]

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
  const { setStatusFilter, refreshAllExpiring } = useActions()
  const shown = WARNINGS.filter(({ status }) => counts[status] > 0)
  const refreshable = counts.expiring_soon + counts.expired
  const trouble = counts.needs_reauth + counts.expired + counts.error
  const tone = trouble > 0 ? 'banner-trouble' : shown.length > 0 ? 'banner-warning' : 'banner-calm'
  return (
    <section className={`banner ${tone}`} aria-label="Warnings">
      {shown.length === 0 ? (
        <p className="banner-calm-text">
          <span aria-hidden="true">✓ </span>
          {total === 1 ? 'The library is' : `All ${total.toLocaleString()} libraries are`} fine: nothing is expiring soon, expired or failing.
        </p>
      ) : (
        <ul className="banner-list">
          {shown.map(({ status, words }) => (
            <li key={status}>
              <button
                type="button"
                className={`banner-link banner-link-${status}`}
                aria-pressed={activeStatus === status}
                onClick={() => setStatusFilter(activeStatus === status ? 'all' : status)}
              >
                {words(counts[status])}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="banner-actions">
        <BulkProgress />
        {refreshable > 0 || running ? (
          <button type="button" className="button" disabled={running} onClick={() => void refreshAllExpiring()}>
            Refresh all expiring
          </button>
        ) : null}
      </div>
    </section>
  )
}
