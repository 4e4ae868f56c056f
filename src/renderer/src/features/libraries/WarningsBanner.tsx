// Above the list: how many libraries need attention, each a link that filters the list to them, and
// "Refresh all expiring" with its progress. A revoked library or key is never counted as fine: it is named as revoked,
// in a quiet tone (it no longer works, but the person revoked it and nothing about it is urgent), after the warnings.
// The green "all fine" line speaks for the keys of other systems too: it counts them when every one is fine, and is
// not shown while one needs attention (the key warnings below name those; the libraries get a plain line here).
import type { LibraryStatus } from '../../../../shared/contract.ts'
import { selectKeyCounts } from '../../store/key-counts.ts'
import { selectRefreshableCount } from '../../store/refreshable.ts'
import { selectLibraryCount, selectStatusCounts as selectCounts } from '../../store/selectors.ts'
import { useActions, useApp } from '../../store/provider.tsx'

const WARNINGS: readonly { readonly status: LibraryStatus; readonly words: (n: number) => string }[] = [
  { status: 'needs_reauth', words: (n) => `${n} ${n === 1 ? 'needs' : 'need'} re-authorization` },
  { status: 'expired', words: (n) => `${n} expired` },
  { status: 'error', words: (n) => `${n} in error` },
  { status: 'expiring_soon', words: (n) => `${n} expiring soon` }
]

/** Libraries and keys alike: the status filter shows both. */
const REVOKED = { status: 'revoked', words: (n: number) => `${n} revoked` } as const
/** Libraries only, named as quietly as revoked ones: refreshed on another machine now, nothing to do here. */
const MOVED = { status: 'moved', words: (n: number) => `${n} moved` } as const

/** How many of one kind work (are not revoked or moved), of how many. */
interface Tally {
  readonly working: number
  readonly total: number
  readonly one: string
  readonly many: string
}

const counted = (n: number, { one, many }: Tally): string => `${n.toLocaleString()} ${n === 1 ? one : many}`

/** "all 5 libraries", "the library", or, beside revoked ones, "4 of 5 libraries". */
function part(tally: Tally): string {
  if (tally.working === tally.total) return tally.total === 1 ? `the ${tally.one}` : `all ${counted(tally.total, tally)}`
  return `${tally.working.toLocaleString()} of ${counted(tally.total, tally)}`
}

/**
 * Who is fine, with its verb: "All 5 libraries are", "The key is", "4 of 5 libraries are", "All 7 libraries and
 * 7 keys are", "The library and all 3 keys are". A kind with none working is left to the revoked link.
 */
function fineSubject(...tallies: readonly Tally[]): string {
  const shown = tallies.filter((tally) => tally.working > 0)
  const [first, second] = shown
  if (first === undefined) return ''
  const whole = (tally: Tally): boolean => tally.working === tally.total && tally.total > 1
  const words =
    second === undefined
      ? `${part(first)} ${first.working === 1 ? 'is' : 'are'}`
      : whole(first) && whole(second)
        ? `all ${counted(first.total, first)} and ${counted(second.total, second)} are`
        : `${part(first)} and ${part(second)} are`
  return words.charAt(0).toUpperCase() + words.slice(1)
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

export function WarningsBanner(): React.JSX.Element | null {
  const counts = useApp(selectCounts)
  const total = useApp(selectLibraryCount)
  const keys = useApp(selectKeyCounts)
  const activeStatus = useApp((state) => state.filter.status)
  const running = useApp((state) => state.bulk?.running === true)
  // It refreshes the libraries the list holds: all of them only once the whole list is in.
  const partial = useApp((state) => state.listing !== null)
  const { setStatusFilter, refreshAllExpiring } = useActions()
  const shown = WARNINGS.filter(({ status }) => counts[status] > 0)
  const revoked = counts.revoked + keys.revoked
  const links = [...shown, ...(revoked > 0 ? [REVOKED] : []), ...(counts.moved > 0 ? [MOVED] : [])]
  const linkCount = (status: LibraryStatus): number => (status === 'revoked' ? revoked : counts[status])
  const libraries: Tally = { working: total - counts.revoked - counts.moved, total, one: 'library', many: 'libraries' }
  const keyTally: Tally = { working: keys.total - keys.revoked, total: keys.total, one: 'key', many: 'keys' }
  // Every library and key fine (revoked ones aside): one green line over both. A key wanting a look: the libraries'
  // state in plain words only, and the key warnings under it say the rest.
  const allFine = shown.length === 0 && keys.attention === 0
  const calm = allFine ? fineSubject(libraries, keyTally) : ''
  const plain = shown.length === 0 && !allFine ? fineSubject(libraries) : ''
  // What the core would refresh: a paused library, expired or not, is left out (the core refuses it).
  const refreshable = useApp(selectRefreshableCount)
  const trouble = counts.needs_reauth + counts.expired + counts.error
  const acting = refreshable > 0 || running
  if (calm === '' && plain === '' && links.length === 0 && !acting) return null
  const tone = trouble > 0 ? 'banner-trouble' : shown.length > 0 ? 'banner-warning' : revoked > 0 || counts.moved > 0 || !allFine ? 'banner-quiet' : 'banner-calm'
  return (
    <section className={`banner ${tone}`} aria-label="Warnings">
      {calm !== '' ? (
        <p className="banner-calm-text">
          <span aria-hidden="true">✓ </span>
          {calm} fine: nothing is expiring soon, expired or failing.
        </p>
      ) : null}
      {plain !== '' ? <span className="banner-plain-text">{plain} fine.</span> : null}
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
                {words(linkCount(status))}
              </button>
              {status === 'revoked' && shown.length === 0 ? <span className="banner-quiet-text"> no longer refreshed or copied</span> : null}
              {status === 'moved' && shown.length === 0 ? <span className="banner-quiet-text"> refreshed on another machine now</span> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {acting ? (
        <div className="banner-actions">
          <BulkProgress />
          <button
            type="button"
            className="button"
            disabled={running || partial}
            title={partial ? 'Available once every library is loaded' : undefined}
            onClick={() => void refreshAllExpiring()}
          >
            Refresh all expiring
          </button>
        </div>
      ) : null}
    </section>
  )
}
