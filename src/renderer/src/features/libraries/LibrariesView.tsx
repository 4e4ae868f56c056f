// The main view: warnings, search and filters, the list, and the selected library's details beside it.
import { lazy, Suspense } from 'react'
import { selectEntryCount } from '../../store/list-rows.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { EmptyState } from '../common/EmptyState.tsx'
import { DetailPane } from '../detail/DetailPane.tsx'
import { LibraryGrid } from './LibraryGrid.tsx'
import { ListToolbar } from './ListToolbar.tsx'
import { DriftBanner } from '../personal/DriftBanner.tsx'
import { WarningsBanner } from './WarningsBanner.tsx'
import { KeyWarnings } from '../keys/KeyWarnings.tsx'
import './libraries.css'

// Offline from the team, or out of it: rare, so the banner's words are loaded then, not with every start.
const TeamBanner = lazy(() => import('../team/TeamBanner.tsx'))

export function LibrariesView(): React.JSX.Element {
  const loadState = useApp((state) => state.loadState)
  const loadError = useApp((state) => state.loadError)
  // Libraries and keys of other systems: either alone makes a list.
  const count = useApp(selectEntryCount)
  const hasSelection = useApp((state) => state.selectedId !== null)
  const teamBanner = useApp((state) => state.team?.membership === 'out' || state.team?.link.state === 'offline')
  const { loadLibraries } = useActions()

  if (loadState === 'idle' || loadState === 'loading') {
    return (
      <p className="loading" role="status">
        Loading libraries…
      </p>
    )
  }
  if (loadState === 'failed') {
    return (
      <div className="notice notice-error" role="alert">
        <p>
          <strong>Larder could not list the libraries.</strong> {loadError}
        </p>
        <button type="button" className="button" onClick={() => void loadLibraries()}>
          Try again
        </button>
      </div>
    )
  }
  if (count === 0) return <EmptyState />
  return (
    <div className="libraries-view">
      {teamBanner ? (
        <Suspense fallback={null}>
          <TeamBanner />
        </Suspense>
      ) : null}
      <DriftBanner />
      <WarningsBanner />
      <KeyWarnings />
      <ListToolbar />
      <div className={`split${hasSelection ? ' has-selection' : ''}`}>
        <LibraryGrid />
        <DetailPane />
      </div>
    </div>
  )
}
