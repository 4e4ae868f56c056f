// A person's way out of a hold: a paused library's "Refresh it now: no other machine holds it" ('backup.resume') and a
// moved library's "Take it back on this machine" ('move.takeBack'). Each asks first, with its warning and a tick.
import { useId, useState } from 'react'
import type { LibraryHoldView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'

// The two warnings live here, not in estate-words.ts: the detail pane shows a hold from the start, and importing that
// module would bring all of the Import & backup view's words into the page's first JavaScript (about 3 kB).

/** Shown before a moved library is taken back (the move's report carries the same words: core/estate/move). */
const TAKE_BACK_WARNING =
  'Take a library back only if the machine it was moved to no longer holds it (it was never imported there, or was removed or moved back). ' +
  'If both machines refresh the same token, the second refresh sends a token the first already used, and Apicbase may revoke the whole token family: the customer must then issue a new token.'

/** Shown before a paused library is refreshed again (its hold's own words say why it is paused). */
const RESUME_WARNING =
  'Larder sends its refresh token now. If another machine or copy of Larder still holds this library, that token was used there and Apicbase may revoke the whole token family: the customer must then issue a new token.'

const WORDS = {
  paused: {
    open: 'Refresh it now: no other machine holds it',
    tick: 'No other machine or copy of Larder holds this library',
    confirm: 'Refresh it now',
    warning: RESUME_WARNING
  },
  moved: {
    open: 'Take it back on this machine…',
    tick: 'The machine it was moved to no longer holds it',
    confirm: 'Take it back',
    warning: TAKE_BACK_WARNING
  }
} as const

export interface HoldActionProps {
  /** The library (for a paused one reached through a personal token, Larder resumes its token's record). */
  readonly id: string
  readonly name: string
  readonly kind: LibraryHoldView['kind']
}

export function HoldAction({ id, name, kind }: HoldActionProps): React.JSX.Element {
  const uid = useId()
  const words = WORDS[kind]
  const { resumeLibrary, takeBackLibraries } = useActions()
  const [asking, setAsking] = useState(false)
  const [ticked, setTicked] = useState(false)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const confirm = async (): Promise<void> => {
    if (!ticked) {
      setError('Tick the box first: nothing was sent.')
      document.getElementById(`${uid}-tick`)?.focus()
      return
    }
    setBusy(true)
    setError(null)
    const result = kind === 'paused' ? await resumeLibrary(id) : await takeBackLibraries([id])
    setBusy(false)
    if (result.ok) setAsking(false)
    else setError(result.error.message)
  }

  if (!asking) {
    return (
      <button type="button" className="button small" onClick={() => setAsking(true)}>
        {words.open}
      </button>
    )
  }
  return (
    <div className="hold-confirm" role="group" aria-labelledby={`${uid}-warning`}>
      <p id={`${uid}-warning`}>
        <strong>{name}:</strong> {words.warning}
      </p>
      <div className="check">
        <input id={`${uid}-tick`} type="checkbox" checked={ticked} disabled={busy} aria-describedby={error === null ? undefined : `${uid}-error`} onChange={(event) => setTicked(event.target.checked)} />
        <label htmlFor={`${uid}-tick`}>{words.tick}</label>
      </div>
      {error !== null ? (
        <p id={`${uid}-error`} className="field-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" className="button danger small" disabled={busy} onClick={() => void confirm()}>
          {words.confirm}
        </button>
        <button type="button" className="button small" disabled={busy} onClick={() => setAsking(false)}>
          Cancel
        </button>
      </div>
    </div>
  )
}
