// Under the libraries' warnings: the keys of other systems that want attention (refused, inactive, expired, expiring,
// failing checks), each a link that filters the list to them. Nothing when every key is fine or there is none: the
// banner above then counts the keys in its "all fine" line (and says no such line while one is here).
import type { KeyStatusView } from '../../../../shared/contract.ts'
import { selectKeyCounts } from '../../store/key-counts.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import './keys.css'

const KEY_WARNINGS: readonly { readonly status: KeyStatusView; readonly words: (n: number) => string }[] = [
  { status: 'needs_reauth', words: (n) => `${n} refused at ${n === 1 ? 'its' : 'their'} check` },
  { status: 'inactive', words: (n) => `${n} inactive` },
  { status: 'expired', words: (n) => `${n} expired` },
  { status: 'error', words: (n) => `${n} not checked (error)` },
  { status: 'expiring_soon', words: (n) => `${n} expiring soon` }
]

export function KeyWarnings(): React.JSX.Element | null {
  const counts = useApp(selectKeyCounts).byStatus
  const activeStatus = useApp((state) => state.filter.status)
  const { setStatusFilter } = useActions()
  const shown = KEY_WARNINGS.filter(({ status }) => (counts.get(status) ?? 0) > 0)
  if (shown.length === 0) return null
  const trouble = shown.some(({ status }) => status !== 'expiring_soon')
  return (
    <section className={`banner ${trouble ? 'banner-trouble' : 'banner-warning'} key-warnings`} aria-label="Key warnings">
      <p className="key-warnings-lead">Keys of other systems:</p>
      <ul className="banner-list">
        {shown.map(({ status, words }) => (
          <li key={status}>
            <button type="button" className={`banner-link banner-link-${status}`} aria-pressed={activeStatus === status} onClick={() => setStatusFilter(activeStatus === status ? 'all' : status)}>
              {words(counts.get(status) ?? 0)}
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
