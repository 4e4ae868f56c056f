// The bridge on Electron IPC: one `ipcMain.handle` channel per contract call (`larder:call:<name>`, from
// src/shared/names.ts, the same helper the preload uses). One channel per call, rather than one channel carrying
// the name, means main registers exactly the contract and never looks a renderer-supplied name up in a table.
// Every call is checked before its handler runs: the sending frame must exist, be the top frame, and show
// the app's own page.
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron'
import type { CallName, CallResult, EventName, EventPayloads } from '../../shared/contract.ts'
import { CALL_NAMES, callChannel, eventChannel } from '../../shared/names.ts'
import { SENDER_REFUSALS, checkSender } from '../core/desktop/sender-check.ts'

/** The transport-agnostic handler table (src/main/app/handlers.ts builds it). */
export type BridgeHandlers = { readonly [N in CallName]: (input: unknown) => Promise<CallResult<N>> }

/** Where handlers are registered: `ipcMain`, or one window's `webContents.ipc` to scope them to it. */
export type IpcHandlerHost = Pick<typeof ipcMain, 'handle' | 'removeHandler'>

export interface RegisterBridgeOptions {
  readonly isOwnUrl: (url: string) => boolean
  readonly host?: IpcHandlerHost
  /** A refused call, for the log. Carries no input. */
  readonly onRefused?: (call: CallName, reason: 'no_frame' | 'sub_frame' | 'foreign_url') => void
  /** A handler threw instead of answering a result. */
  readonly onError?: (call: CallName, error: unknown) => void
}

export function registerBridge(handlers: BridgeHandlers, options: RegisterBridgeOptions): () => void {
  const host = options.host ?? ipcMain
  for (const name of CALL_NAMES) {
    if (typeof handlers[name] !== 'function') throw new TypeError(`No handler for the call "${name}"`)
  }
  const registered: string[] = []
  try {
    for (const name of CALL_NAMES) {
      const channel = callChannel(name)
      host.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => answer(name, handlers[name], event, input, options))
      registered.push(channel)
    }
  } catch (error) {
    for (const channel of registered) host.removeHandler(channel)
    throw error
  }
  return () => {
    for (const channel of registered) host.removeHandler(channel)
  }
}

async function answer<N extends CallName>(
  name: N,
  handler: (input: unknown) => Promise<CallResult<N>>,
  event: IpcMainInvokeEvent,
  input: unknown,
  options: RegisterBridgeOptions
): Promise<CallResult<N>> {
  // senderFrame is a getter that can throw once the frame is gone; treat that like null.
  let frame: IpcMainInvokeEvent['senderFrame'] = null
  try {
    frame = event.senderFrame
  } catch {
    frame = null
  }
  const verdict = checkSender(frame, options.isOwnUrl)
  if (!verdict.ok) {
    options.onRefused?.(name, verdict.reason)
    return { ok: false, error: { kind: 'internal', message: SENDER_REFUSALS[verdict.reason] } }
  }
  try {
    return await handler(input)
  } catch (error) {
    // The table answers its own errors; one that escapes is a bug, and its text may say too much to show.
    options.onError?.(name, error)
    return { ok: false, error: { kind: 'internal', message: `Larder hit an unexpected error while handling "${name}".` } }
  }
}

/** Pushes an event to the renderer on the channel the preload listens to. Answers whether it was sent. */
export function sendEvent<E extends EventName>(contents: WebContents, name: E, payload: EventPayloads[E]): boolean {
  if (contents.isDestroyed()) return false
  contents.send(eventChannel(name), payload)
  return true
}
