// `larder lock [--forget]`, and the passphrase a locked Larder asks a terminal for. Locked, Larder answers a call
// again when it comes with the passphrase (this one call; the window stays locked): on a terminal the command asks for
// it with echo off, up to three times; with no terminal (a script, a pipe) it exits 4 with the app's words on how to
// unlock. The passphrase goes over the private endpoint only: never argv, never an environment variable, never a file.
import type { TerminalError } from '../../shared/terminal-words.ts'
import type { Caller, Io } from './commands.ts'
import { hiddenPrompt } from './hidden-prompt.ts'

/** Asks for a secret without echo; null when the person gave none (Ctrl-C, Ctrl-D). */
export type AskSecret = (question: string) => Promise<string | null>

export const LOCKED_PROMPT = 'Larder is locked. Passphrase: '
export const PASSPHRASE_TRIES = 3

/** What `larder lock` answers. */
interface LockedAnswer {
  readonly state: string
  readonly message: string
}

export async function lockNow(call: Caller, io: Io, forget: boolean): Promise<void> {
  const { value } = await call<LockedAnswer>(forget ? 'forget' : 'lock', {})
  io.err(`${value.message}\n`)
}

/** Whether a refusal may be answered with the passphrase, on this terminal. */
export function asksPassphrase(error: TerminalError, ask: AskSecret | undefined): ask is AskSecret {
  return error.kind === 'locked' && error.passphraseAccepted === true && ask !== undefined
}

/** The process's terminal, when stdin is one: a prompt on stderr with echo off. Undefined without a terminal. */
export function terminalSecret(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): AskSecret | undefined {
  if (input.isTTY !== true || typeof input.setRawMode !== 'function') return undefined
  return (question) => hiddenPrompt(question, input, output)
}
