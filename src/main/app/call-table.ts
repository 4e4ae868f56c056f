// The one way a call from outside is checked and answered, for any table of `{ input }` schemas (the bridge's, the
// terminal's): plain data only, then the call's strict schema, then the implementation with typed values; a throw
// becomes an error a client can branch on, and the log gets the call's name and the error's kind, never the input.
import type { z } from 'zod'
import { failureFacts, invalidInput, notPlainData } from './bridge-errors.ts'
import type { LogPort } from './ports.ts'

/** An input refused at the edge, before anything ran. */
export interface InputRefusal {
  readonly kind: 'invalid_input'
  readonly field: string
  readonly message: string
}

export type Answer<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E | InputRefusal }

export interface CallTableOptions<E extends { readonly kind: string }> {
  /** Failed and refused calls, by name and kind. */
  readonly log?: LogPort | undefined
  /** What a failure answers (the bridge's words, or the terminal's). */
  readonly toError: (error: unknown) => E
}

/**
 * Wraps one implementation: `input` is checked against `schema` and handed on typed; any further arguments (the
 * terminal's client facts) pass through as they are.
 */
export function checkedCall<S extends z.ZodType, T, E extends { readonly kind: string }, A extends unknown[]>(
  name: string,
  schema: S,
  implementation: (input: z.output<S>, ...rest: A) => T | Promise<T>,
  options: CallTableOptions<E>
): (input: unknown, ...rest: A) => Promise<Answer<T, E>> {
  const { log, toError } = options
  const refused = (): void => log?.('warn', 'call refused', { call: name, kind: 'invalid_input' })
  return async (input, ...rest) => {
    // Only plain data crosses the edge. A Date or a Map would read as {} to a schema whose fields are all
    // optional; no argument at all means {}.
    if (input !== undefined && !isPlainObject(input)) {
      refused()
      return { ok: false, error: notPlainData(name, input) }
    }
    const parsed = schema.safeParse(input ?? {})
    if (!parsed.success) {
      refused()
      return { ok: false, error: invalidInput(name, parsed.error) }
    }
    try {
      return { ok: true, value: await implementation(parsed.data, ...rest) }
    } catch (error) {
      const answer = toError(error)
      log?.(answer.kind === 'internal' ? 'error' : 'warn', 'call failed', { call: name, kind: answer.kind, ...failureFacts(error, answer.kind) })
      return { ok: false, error: answer }
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}
