import { lazy, Suspense } from 'react'
import { useApp } from '../../store/provider.tsx'
import { LibraryDetail } from './LibraryDetail.tsx'
import './detail.css'

// A key's pane is loaded when one is first opened: the start of the page stays what the library list needs.
const KeyDetail = lazy(() => import('../keys/KeyDetail.tsx').then((module) => ({ default: module.KeyDetail })))

export function DetailPane(): React.JSX.Element {
  const selectedId = useApp((state) => state.selectedId)
  const exists = useApp((state) => state.selectedId !== null && state.selectedId in state.byId)
  const isKey = useApp((state) => state.selectedId !== null && state.selectedId in state.keysById)
  if (selectedId !== null && isKey) {
    return (
      <Suspense fallback={<section className="detail-pane" aria-label="Key details" aria-busy="true" />}>
        <KeyDetail key={selectedId} id={selectedId} />
      </Suspense>
    )
  }
  if (selectedId === null || !exists) {
    return (
      <section className="detail-pane detail-placeholder" aria-label="Library details">
        <p>Select a library to see its token, its history and what you can do with it.</p>
      </section>
    )
  }
  return <LibraryDetail key={selectedId} id={selectedId} />
}
