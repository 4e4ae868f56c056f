// The app lock at the terminal (`larder`). `larder lock` and `larder lock --forget` need no approval: locking only takes
// away. While Larder is locked every other call answers kind 'locked', unless it comes again with the passphrase in
// the reserved input field `lockPassphrase` (the command asks for it on a terminal, echo off) from a session that was
// allowed before the lock: then Larder checks it (counted with the window's tries) and answers that one call; the
// window stays locked. A session not allowed yet cannot be allowed while locked (nobody can answer in the window).
// An allowed session's 'import-cancel' (Ctrl-C of its own `larder import`) needs no passphrase.
import { clientFactsSchema, terminalCalls } from '../../../shared/contract.ts'
import type { ClientFacts, TerminalHandler, TerminalHandlers, TerminalResult } from '../../../shared/terminal-words.ts'
import { InputError } from '../../core/errors.ts'
import { checkedCall, isPlainObject } from '../call-table.ts'
import type { LogPort } from '../ports.ts'
import type { TerminalAccess } from '../terminal/terminal-access.ts'
import { toTerminalError } from '../terminal/terminal-handlers.ts'
import type { AppLock } from './app-lock.ts'

/** The input field a terminal call carries the lock's passphrase in; taken off before the call's own schema sees it. */
export const LOCK_PASSPHRASE_FIELD = 'lockPassphrase'
const MAX_PASSPHRASE = 1024

export const TERMINAL_LOCKED =
  'Larder is locked. Unlock it in its window, or run this command in a terminal and give the passphrase when asked (it answers this one call; Larder stays locked).'
export const TERMINAL_NOT_ALLOWED_WHILE_LOCKED =
  'Larder is locked, and this terminal session was not allowed before it locked. Unlock Larder in its window, then run the command again: the window asks to allow this terminal.'

type Lock = Pick<AppLock, 'guarded' | 'allowOneCall' | 'now' | 'forget'>

export function guardTerminal(handlers: TerminalHandlers, lock: Lock | null, access: Pick<TerminalAccess, 'allowedLabel'>, log?: LogPort): TerminalHandlers {
  const table: Record<string, TerminalHandler> = {}
  for (const [name, handler] of Object.entries(handlers) as [keyof TerminalHandlers, TerminalHandler][]) {
    table[name] = async (input, client, pending) => {
      const split = splitPassphrase(input)
      if (split === null) return refused({ kind: 'invalid_input', field: LOCK_PASSPHRASE_FIELD, message: `${name}: ${LOCK_PASSPHRASE_FIELD}: must be the passphrase, as text` })
      if (lock === null || !lock.guarded()) return handler(split.input, client, pending)
      const facts = parsedClient(client)
      const label = facts === null ? null : access.allowedLabel(facts)
      if (label === null) return refused({ kind: 'locked', message: TERMINAL_NOT_ALLOWED_WHILE_LOCKED, passphraseAccepted: false })
      // Ctrl-C of an import its session started: cancelling only takes away, so no passphrase is asked for it.
      if (name === 'import-cancel') return handler(split.input, client, pending)
      if (split.passphrase === undefined) return refused({ kind: 'locked', message: TERMINAL_LOCKED, passphraseAccepted: true })
      try {
        await lock.allowOneCall(split.passphrase, `from a terminal (${label})`)
      } catch (error) {
        if (error instanceof InputError) return refused({ kind: 'locked', message: error.message, passphraseAccepted: true })
        throw error
      }
      return handler(split.input, client, pending)
    }
  }
  // Locking needs no approval and no passphrase; a host without a lock (the agent) says so.
  const locking = (forget: boolean): TerminalHandler => {
    const name = forget ? 'forget' : 'lock'
    return checkedCall(
      name,
      terminalCalls[name].input,
      async () => {
        if (lock === null) throw new InputError('lock', 'This Larder runs without a window (larder agent) and has no lock: stop the agent to take its keys out of memory.')
        const { state, note } = forget ? await lock.forget('from a terminal') : await lock.now('from a terminal')
        return { state: state.state, message: note }
      },
      { log, toError: toTerminalError }
    ) as TerminalHandler
  }
  table['lock'] = locking(false)
  table['forget'] = locking(true)
  return table as unknown as TerminalHandlers
}

/** The call's input without the lock's field, and the passphrase it held (null: the field held something else). */
function splitPassphrase(input: unknown): { input: unknown; passphrase: string | undefined } | null {
  if (!isPlainObject(input) || !Object.hasOwn(input, LOCK_PASSPHRASE_FIELD)) return { input, passphrase: undefined }
  const { [LOCK_PASSPHRASE_FIELD]: passphrase, ...rest } = input
  if (typeof passphrase !== 'string' || passphrase.length === 0 || passphrase.length > MAX_PASSPHRASE) return null
  return { input: rest, passphrase }
}

function refused(error: TerminalResult extends infer R ? (R extends { ok: false; error: infer E } ? E : never) : never): TerminalResult {
  return { ok: false, error }
}

/** The client facts as the server reads them, or null when they are not well formed. */
function parsedClient(client: ClientFacts): ClientFacts | null {
  const parsed = clientFactsSchema.safeParse(client)
  return parsed.success ? parsed.data : null
}
