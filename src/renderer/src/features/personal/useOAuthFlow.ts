// Where one connect-personal-token flow stands: the form, the authorization Larder started, the code pasted back,
// the failure or the connected token. An answer for a flow that was started again meanwhile is ignored, and a
// flow nobody waits for any more (the dialog closed) is cancelled at Larder.
import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { BridgeErrorShape, OAuthConnectedView, OAuthStartedView } from '../../../../shared/contract.ts'
import { useActions } from '../../store/provider.tsx'
import { useFocusRequest } from '../common/useFocusRequest.ts'
import { EMPTY_OAUTH_DRAFT, missingOAuthFields, oauthFieldOfError, toOAuthStart, type OAuthDraft, type OAuthField } from './oauth-form.ts'

export type OAuthPhase =
  | { readonly kind: 'editing' }
  | { readonly kind: 'starting' }
  | { readonly kind: 'started'; readonly flow: OAuthStartedView; readonly finishing: boolean }
  | { readonly kind: 'failed'; readonly error: BridgeErrorShape }
  | { readonly kind: 'connected'; readonly connected: OAuthConnectedView }

export interface OAuthFlow {
  readonly draft: OAuthDraft
  readonly errors: Partial<Record<OAuthField, string>>
  readonly phase: OAuthPhase
  /** Nothing may be changed or closed: Larder is starting the flow or exchanging the code. */
  readonly busy: boolean
  readonly code: string
  readonly codeError: string | null
  /** Changes the form; an error shown for that field goes. */
  edit(patch: Partial<OAuthDraft>): void
  setCode(code: string): void
  /** Checks the form and asks Larder for an authorization (again, after a failure or "Start again"). */
  start(event?: FormEvent): Promise<void>
  /** Exchanges the pasted code. */
  finish(event?: FormEvent): Promise<void>
}

/** `uid` prefixes the ids of the fields, so the flow can move focus to the one that needs the person. */
export function useOAuthFlow(uid: string): OAuthFlow {
  const { startOAuth, waitOAuth, completeOAuth, cancelOAuth } = useActions()
  const [draft, setDraft] = useState<OAuthDraft>(EMPTY_OAUTH_DRAFT)
  const [errors, setErrors] = useState<Partial<Record<OAuthField, string>>>({})
  const [phase, setPhase] = useState<OAuthPhase>({ kind: 'editing' })
  const [code, setCodeValue] = useState('')
  const [codeError, setCodeError] = useState<string | null>(null)
  // The flow this dialog is on; answers for an older one (after Start again) are ignored.
  const flowRef = useRef<string | null>(null)
  const busy = phase.kind === 'starting' || (phase.kind === 'started' && phase.finishing)

  const focus = useFocusRequest()
  const setFocus = (field: string): void => focus(`${uid}-${field}`)

  // Closing while a flow waits tells Larder to stop listening for it.
  useEffect(
    () => () => {
      if (flowRef.current !== null) cancelOAuth(flowRef.current)
    },
    [cancelOAuth]
  )

  const answered = (flowId: string, result: { readonly ok: true; readonly value: OAuthConnectedView } | { readonly ok: false; readonly error: BridgeErrorShape }): void => {
    if (flowRef.current !== flowId) return
    flowRef.current = null
    if (result.ok) {
      // The secret has done its job; nothing of it stays in this window.
      setDraft((previous) => ({ ...previous, clientSecret: '' }))
      setCodeValue('')
      setPhase({ kind: 'connected', connected: result.value })
    } else {
      setPhase({ kind: 'failed', error: result.error })
      setFocus('again')
    }
  }

  const start = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault()
    if (busy) return
    const missing = missingOAuthFields(draft)
    const first = (['clientId', 'clientSecret', 'scopes'] as const).find((field) => missing[field] !== undefined)
    if (first !== undefined) {
      setErrors(missing)
      setPhase({ kind: 'editing' })
      setFocus(first)
      return
    }
    if (flowRef.current !== null) cancelOAuth(flowRef.current)
    flowRef.current = null
    setErrors({})
    setCodeValue('')
    setCodeError(null)
    setPhase({ kind: 'starting' })
    const result = await startOAuth(toOAuthStart(draft))
    if (!result.ok) {
      const field = oauthFieldOfError(result.error)
      if (field !== null) {
        setPhase({ kind: 'editing' })
        setErrors({ [field]: result.error.message })
        setFocus(field)
      } else {
        setPhase({ kind: 'failed', error: result.error })
        setFocus('again')
      }
      return
    }
    const flow = result.value
    flowRef.current = flow.flowId
    setPhase({ kind: 'started', flow, finishing: false })
    if (draft.redirect === 'paste') {
      setFocus('code')
      return
    }
    setFocus('link')
    answered(flow.flowId, await waitOAuth(flow.flowId))
  }

  const finish = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault()
    if (phase.kind !== 'started' || phase.finishing) return
    if (code.trim() === '') {
      setCodeError('Paste the code Apicbase showed (or the whole address the browser went to).')
      setFocus('code')
      return
    }
    setCodeError(null)
    const flow = phase.flow
    setPhase({ kind: 'started', flow, finishing: true })
    const result = await completeOAuth(flow.flowId, code)
    if (!result.ok && result.error.kind === 'invalid_input' && result.error.field === 'code' && flowRef.current === flow.flowId) {
      // Larder refused what was pasted (an address without this authorization's state, a broken code) before
      // anything was sent: the authorization still waits, so the person pastes again.
      setPhase({ kind: 'started', flow, finishing: false })
      setCodeError(result.error.message)
      setFocus('code')
      return
    }
    answered(flow.flowId, result)
  }

  return {
    draft,
    errors,
    phase,
    busy,
    code,
    codeError,
    edit(patch) {
      setDraft((previous) => ({ ...previous, ...patch }))
      const fields = Object.keys(patch) as OAuthField[]
      if (fields.some((field) => errors[field] !== undefined)) setErrors((previous) => ({ ...previous, ...Object.fromEntries(fields.map((field) => [field, undefined])) }))
    },
    setCode(value) {
      setCodeValue(value)
      setCodeError(null)
    },
    start,
    finish
  }
}
