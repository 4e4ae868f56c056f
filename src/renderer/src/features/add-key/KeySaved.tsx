// After a key is added: what Larder found when it checked it (who it acts as, or why it could not tell), and for an
// Airtable token that may read the bases' schema, the bases it reaches, offered to note on the key (optional).
import { useId, useState } from 'react'
import type { KeyBasesView, KeyView } from '../../../../shared/contract.ts'
import { SYSTEM_LABEL } from '../../../../shared/status-words.ts'
import { useActions, useApp } from '../../store/provider.tsx'
import { ErrorText } from '../common/Field.tsx'

/** What the add's check found, in a sentence. */
export function foundSentence(key: KeyView): string {
  const check = key.lastCheck
  const system = SYSTEM_LABEL[key.system]
  if (key.system === 'service_token' && (check === null || check.outcome === 'ok')) {
    return check === null
      ? `Larder cannot check it (no check URL): it acts as ${key.details.serviceUser}, as noted.`
      : `The check URL accepted it: it acts as ${key.details.serviceUser}, as noted.`
  }
  if (check === null) return `${system} was not asked yet.`
  if (check.outcome !== 'ok') return `${system} did not answer the check (${check.message ?? check.outcome}); Larder tries again later.`
  const identity = check.identity
  if (identity === null) return `${system} accepted it.`
  const organisation = key.system === 'safetyculture' && key.details.organisation !== '' ? key.details.organisation : identity.organisation
  return `${system} accepted it: acts as ${identity.who ?? identity.id}${organisation === null ? '' : ` in ${organisation}`}.`
}

type BasesState = { readonly kind: 'idle' } | { readonly kind: 'loading' } | { readonly kind: 'shown'; readonly view: KeyBasesView } | { readonly kind: 'failed'; readonly message: string }

/** The bases an Airtable token reaches, from Airtable itself, to tick and note on the key. */
function AirtableBases({ keyView }: { readonly keyView: Extract<KeyView, { system: 'airtable' }> }): React.JSX.Element {
  const uid = useId()
  const { updateKey, listKeyBases } = useActions()
  const [state, setState] = useState<BasesState>({ kind: 'idle' })
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set())
  const [noted, setNoted] = useState(false)
  const load = async (): Promise<void> => {
    setState({ kind: 'loading' })
    const result = await listKeyBases(keyView.id)
    if (!result.ok) {
      setState({ kind: 'failed', message: result.error.message })
      return
    }
    setState({ kind: 'shown', view: result.value })
    setChosen(new Set(result.value.bases.map((base) => base.name)))
  }
  const note = async (): Promise<void> => {
    const result = await updateKey({ id: keyView.id, details: { bases: [...chosen] } })
    if (result.ok) setNoted(true)
  }
  if (state.kind !== 'shown') {
    return (
      <div className="key-bases">
        <p className="field-help">The token can read the bases’ schema: Larder can ask Airtable which bases it reaches, to note them here.</p>
        <button type="button" className="button" disabled={state.kind === 'loading'} onClick={() => void load()}>
          {state.kind === 'loading' ? <span className="spinner" aria-hidden="true" /> : null}
          List its bases
        </button>
        <ErrorText message={state.kind === 'failed' ? state.message : null} glyph />
      </div>
    )
  }
  return (
    <fieldset className="key-bases">
      <legend className="field-label">Bases it reaches{state.view.complete ? '' : ' (the first pages)'}</legend>
      {state.view.bases.length === 0 ? <p className="field-help">None: Airtable lists no base for this token.</p> : null}
      {state.view.bases.map((base) => {
        const id = `${uid}-${base.id}`
        return (
          <div key={base.id} className="check">
            <input
              id={id}
              type="checkbox"
              checked={chosen.has(base.name)}
              onChange={(event) => {
                const next = new Set(chosen)
                if (event.target.checked) next.add(base.name)
                else next.delete(base.name)
                setChosen(next)
                setNoted(false)
              }}
            />
            <label htmlFor={id}>{base.name}</label>
            <span className="field-help">{base.permissionLevel ?? ''}</span>
          </div>
        )
      })}
      {state.view.bases.length > 0 ? (
        <p className="key-bases-actions">
          <button type="button" className="button small" onClick={() => void note()}>
            Note the ticked bases
          </button>
          <span role="status" className="field-help">
            {noted ? 'Noted on the key.' : ''}
          </span>
        </p>
      ) : null}
    </fieldset>
  )
}

export function KeySaved({ added, onAnother, onDone }: { readonly added: KeyView; onAnother(): void; onDone(): void }): React.JSX.Element {
  // Kept current by 'key.changed' (bases noted, a later check); the add's answer until then.
  const key = useApp((state) => state.keysById[added.id]) ?? added
  const offerBases = key.system === 'airtable' && key.details.scopes.includes('schema.bases:read') && key.lastCheck?.outcome === 'ok'
  return (
    <div className="add-saved">
      <p className="add-saved-title" role="status">
        <span aria-hidden="true">✓ </span>
        {key.name} is saved ({SYSTEM_LABEL[key.system]}, {key.tokenPreview}).
      </p>
      <p className="key-found">{foundSentence(key)}</p>
      {key.system === 'airtable' && offerBases ? <AirtableBases keyView={key} /> : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onAnother}>
          Add another
        </button>
        <button type="button" className="button primary" onClick={onDone} autoFocus>
          Done
        </button>
      </div>
    </div>
  )
}
