// The personal-token part of a library's details: which library the token acts on now, what that means, and
// (for the token itself) the libraries it can reach.
import { lazy, Suspense, useState } from 'react'
import type { LibraryView } from '../../../../shared/contract.ts'
import { activeName, plural } from '../../lib/personal.ts'
import { useActions } from '../../store/provider.tsx'
import { Ago } from '../common/TimeLabels.tsx'
import './personal.css'

// Behind a closed "What a personal token means": its words load with the first personal library shown, not at start.
const PersonalMeaning = lazy(() => import('./Guidance.tsx').then((module) => ({ default: module.PersonalMeaning })))

export function PersonalSection({ library }: { readonly library: LibraryView }): React.JSX.Element | null {
  const personal = library.personal
  const [busy, setBusy] = useState(false)
  const store = useActions()
  if (!personal) return null
  const check = async (): Promise<void> => {
    setBusy(true)
    await store.checkPersonal(library.id)
    setBusy(false)
  }
  const switchHere = async (): Promise<void> => {
    setBusy(true)
    await store.switchPersonal(library.id)
    setBusy(false)
  }
  const connection = personal.role === 'connection'
  return (
    <section className="personal-section" aria-label="Personal token">
      <dl className="meta compact">
        {connection ? null : (
          <>
            <dt>Personal token</dt>
            <dd>{personal.connectionName}</dd>
          </>
        )}
        <dt>Active in Apicbase</dt>
        <dd>
          <strong>{activeName(personal)}</strong>
          {!connection && personal.isActive ? <span className="tag tag-active">active</span> : null}
          {personal.drifted ? (
            <span className="tag tag-drift" title="The active library was changed outside Larder">
              <span aria-hidden="true">⇄ </span>drifted
            </span>
          ) : null}
          {personal.checkedAt !== null ? (
            <span className="muted">
              {' '}
              (checked <Ago at={personal.checkedAt} what="Checked" />)
            </span>
          ) : null}
        </dd>
        <dt>Libraries in Larder</dt>
        <dd>{plural(personal.libraryCount, 'library shares', 'libraries share')} this token</dd>
      </dl>
      {personal.problem !== null ? <p className="field-error">{personal.problem}</p> : null}
      <div className="detail-manage" role="group" aria-label="Personal token">
        {connection ? (
          <button type="button" className="button small" onClick={() => store.openDiscover(library.id)}>
            Add libraries
          </button>
        ) : (
          <button type="button" className="button small" disabled={busy || (personal.isActive && !personal.drifted)} onClick={() => void switchHere()}>
            Make active
          </button>
        )}
        <button type="button" className="button small" disabled={busy} onClick={() => void check()}>
          Check active library
        </button>
      </div>
      <details className="advanced">
        <summary>What a personal token means</summary>
        <Suspense fallback={null}>
          <PersonalMeaning compact />
        </Suspense>
      </details>
    </section>
  )
}
