import { useApp } from '../../store/provider.tsx'
import { LibraryDetail } from './LibraryDetail.tsx'
import { KeyDetail } from '../keys/KeyDetail.tsx'
import './detail.css'

export function DetailPane(): React.JSX.Element {
  const selectedId = useApp((state) => state.selectedId)
  const exists = useApp((state) => state.selectedId !== null && state.selectedId in state.byId)
  const isKey = useApp((state) => state.selectedId !== null && state.selectedId in state.keysById)
  if (selectedId !== null && isKey) return <KeyDetail key={selectedId} id={selectedId} />
  if (selectedId === null || !exists) {
    return (
      <section className="detail-pane detail-placeholder" aria-label="Library details">
        <p>Select a library to see its token, its history and what you can do with it.</p>
      </section>
    )
  }
  return <LibraryDetail key={selectedId} id={selectedId} />
}
