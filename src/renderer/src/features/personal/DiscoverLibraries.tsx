// The libraries a personal token's user can reach: the active one marked, those this token already reaches in Larder
// greyed out, those another row holds (a service account…) marked and named, the rest to tick and add. Each added
// library is an entry sharing the one token.
import { useEffect, useId, useState } from 'react'
import { activeName, heldAs, plural } from '../../lib/personal.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import type { Reachable } from '../../store/types.ts'
import { ErrorText } from '../common/Field.tsx'

const LOADING: Reachable = { connectionId: '', kind: 'loading' }

export function DiscoverLibraries({ connectionId, onDone }: { readonly connectionId: string; readonly onDone: () => void }): React.JSX.Element {
  const uid = useId()
  const load = useApp((state) => (state.reachable?.connectionId === connectionId ? state.reachable : LOADING))
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [adding, setAdding] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)
  const { loadReachable, addPersonal } = useActions()
  // Where the token stands now: the latest word from Larder, which may be newer than the list's.
  const active = useApp((state) => state.personalActive[connectionId] ?? null)
  useEffect(() => void loadReachable(connectionId), [loadReachable, connectionId])

  const toggle = (id: string): void =>
    setChosen((previous) => {
      const next = new Set(previous)
      if (next.has(id)) next.delete(id)
      else next.add(id)
      return next
    })

  const add = async (): Promise<void> => {
    if (chosen.size === 0 || adding) return
    setAdding(true)
    setError(null)
    const result = await addPersonal(connectionId, [...chosen])
    setAdding(false)
    if (!result.ok) {
      setError(result.error.message)
      return
    }
    setAdded(`Added ${plural(result.value.length, 'library', 'libraries')}: ${result.value.map((library) => library.name).join(', ')}.`)
    setChosen(new Set())
    await loadReachable(connectionId)
  }

  const headingId = `${uid}-heading`
  return (
    <section className="discover" aria-labelledby={headingId}>
      <h3 id={headingId}>Libraries this token can reach</h3>
      {load.kind === 'loading' ? (
        <p className="checking" role="status">
          Asking Apicbase which libraries this user can reach…
        </p>
      ) : load.kind === 'failed' ? (
        <div className="notice notice-error" role="alert">
          <p>{load.message}</p>
          <button type="button" className="button" onClick={() => void loadReachable(connectionId)}>
            Try again
          </button>
        </div>
      ) : load.libraries.length === 0 ? (
        <p className="muted">Apicbase lists no library for this user.</p>
      ) : (
        <>
          <p className="field-help">
            Active in Apicbase now: <strong>{activeName(active ?? load.state)}</strong>. Each library you add shares this one token; Larder
            switches the token to a library before each use.
          </p>
          {load.libraries.some((library) => library.entryId === null && (library.heldBy?.length ?? 0) > 0) ? (
            <p className="field-help">
              A library already in Larder with a token of its own can still be added here: it gets a second row that uses this personal
              token.
            </p>
          ) : null}
          <ul className="discover-list" aria-label="Reachable libraries">
            {load.libraries.map((library) => {
              const id = `${uid}-lib-${library.apicbaseLibraryId}`
              const inLarder = library.entryId !== null
              const heldBy = library.heldBy ?? []
              return (
                <li key={library.apicbaseLibraryId} className={`discover-item${inLarder ? ' in-larder' : ''}`}>
                  <input
                    id={id}
                    type="checkbox"
                    checked={inLarder || chosen.has(library.apicbaseLibraryId)}
                    disabled={inLarder || adding}
                    onChange={() => toggle(library.apicbaseLibraryId)}
                    aria-describedby={`${id}-note`}
                  />
                  <label htmlFor={id}>{library.name ?? `Library #${library.apicbaseLibraryId}`}</label>
                  <span id={`${id}-note`} className="discover-note">
                    <span className="muted">#{library.apicbaseLibraryId}</span>
                    {library.active ? <span className="tag tag-active">active</span> : null}
                    {inLarder || heldBy.length > 0 ? <span className="tag tag-off">already in Larder</span> : null}
                    {heldBy.length > 0 ? (
                      <span className="discover-held">
                        {inLarder ? ' also ' : ' '}
                        {heldBy.map((held) => heldAs(held, library.name)).join('; ')}
                      </span>
                    ) : null}
                  </span>
                </li>
              )
            })}
          </ul>
        </>
      )}
      <ErrorText message={error} />
      <p className="checking" role="status">
        {adding ? 'Adding…' : (added ?? '')}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onDone} disabled={adding}>
          Done
        </button>
        <button type="button" className="button primary" onClick={() => void add()} disabled={adding || chosen.size === 0}>
          {adding ? <span className="spinner" aria-hidden="true" /> : null}
          Add selected libraries
        </button>
      </div>
    </section>
  )
}
