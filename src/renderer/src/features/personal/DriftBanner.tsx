// A personal token whose active library was changed outside Larder (in Apicbase): what happened, and the two ways
// out. Larder refuses to copy the token for another library until the person picks one here.
import { useState } from 'react'
import { DRIFTED_HELP } from '../../../../shared/personal-drift.ts'
import { activeName, driftedTokens, driftSentence, expectedName, type DriftedToken } from '../../lib/personal.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import './personal.css'

function useDrifted(): DriftedToken[] {
  const byId = useApp((state) => state.byId)
  const ids = useApp((state) => state.ids)
  const refusal = useApp((state) => state.driftRefusal)
  const list = driftedTokens(byId, ids)
  // A copy was refused before the event that says so arrived: show it from the refused library's own view.
  if (refusal !== null && !list.some((token) => token.connectionId === refusal.connectionId)) {
    const personal = byId[refusal.libraryId]?.personal
    if (personal)
      list.push({ connectionId: personal.connectionId, connectionName: personal.connectionName, state: personal, switchBackId: refusal.libraryId })
  }
  return list
}

export function DriftItem({ token, compact = false }: { readonly token: DriftedToken; readonly compact?: boolean }): React.JSX.Element {
  const refusal = useApp((state) => (state.driftRefusal?.connectionId === token.connectionId ? state.driftRefusal : null))
  const [busy, setBusy] = useState(false)
  const { switchPersonal } = useActions()
  const run = async (id: string): Promise<void> => {
    setBusy(true)
    await switchPersonal(id)
    setBusy(false)
  }
  const keep = activeName(token.state)
  return (
    <div className="drift-item">
      <p className="drift-title">
        <span className="drift-glyph" aria-hidden="true">
          ⇄
        </span>{' '}
        <strong>{token.connectionName}</strong>: {driftSentence(token.state)}.
      </p>
      {refusal !== null && !compact ? (
        <p className="drift-refusal" role="alert">
          {refusal.message}
        </p>
      ) : null}
      {compact ? null : <p className="drift-help">{DRIFTED_HELP}</p>}
      <div className="drift-actions">
        <button
          type="button"
          className="button primary"
          disabled={busy || token.switchBackId === null}
          title={token.switchBackId === null ? `${expectedName(token.state)} is not in Larder any more` : `Switch the token back to ${expectedName(token.state)}`}
          onClick={() => token.switchBackId !== null && void run(token.switchBackId)}
        >
          Switch back
        </button>
        <button type="button" className="button" disabled={busy} onClick={() => void run(token.connectionId)}>
          Keep {keep}
        </button>
      </div>
    </div>
  )
}

export function DriftBanner(): React.JSX.Element | null {
  const drifted = useDrifted()
  if (drifted.length === 0) return null
  return (
    <section className="banner banner-drift" aria-label="Active library changed outside Larder">
      {drifted.map((token) => (
        <DriftItem key={token.connectionId} token={token} />
      ))}
    </section>
  )
}
