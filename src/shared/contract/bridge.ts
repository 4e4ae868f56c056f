// How a call's answer and a refusal travel, and what a host puts on `window.larder`.
import { z } from 'zod'
import type { CallInput, CallName, CallResults } from './calls.ts'
import type { EventName, EventPayloads } from './events.ts'
import { hostKindSchema } from './views.ts'

/** How a failed call reaches the renderer: a kind it can branch on and a message for a person. */
export const bridgeErrorSchema = z.strictObject({
  /** 'locked': the app lock is on; only the lock's own calls, 'vault.state' and 'app.info' are answered. */
  kind: z.enum(['invalid_input', 'not_found', 'api', 'vault', 'internal', 'locked']),
  message: z.string(),
  field: z.string().optional(),
  apiKind: z.string().optional()
})
export type BridgeErrorShape = z.infer<typeof bridgeErrorSchema>

export type CallResult<N extends CallName> =
  | { readonly ok: true; readonly value: CallResults[N] }
  | { readonly ok: false; readonly error: BridgeErrorShape }

/**
 * What preload puts on `window.larder`, and the web bridge implements over a WebSocket. `call` never rejects
 * for a refused call: it answers the result, so the error's kind and field survive the context bridge.
 */
export interface LarderBridge {
  readonly host: z.infer<typeof hostKindSchema>
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>>
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void
}
