// Start-up in the Electron window: the two answers the app needs before it can show anything (where the vault
// stands, then the list's first page) are asked for while the preload runs, so the main side builds them while the
// page's script loads, as the browser host's web-bridge does. The app's first call of each with the same input takes
// the early answer, once; a read of the list with another input (an app that reads it otherwise) lets the held
// events go first, as they would have with no early call. Events that arrive after the first early answer are newer than it: they are held until the
// app has taken the early answers and acted on them, then reach its listeners in order (an app that never asks
// gets them after EARLY_WAIT_MS). Events before it are older and go through as always.
import type { CallName, EventName } from '../shared/contract.ts'
import { FIRST_PAGE_ROWS } from '../shared/list-paging.ts'

/** The early calls and their inputs, for a page collating in `locale`: exactly what the app's store asks with. */
export function earlyCalls(locale: string): readonly (readonly [CallName, object])[] {
  return [
    ['vault.state', {}],
    ['libraries.listFirst', { count: FIRST_PAGE_ROWS, locale }]
  ]
}
/** Reads of the list: one with an input no early call has is the app's own, and what was held goes before it. */
const LIST_READS: readonly CallName[] = ['libraries.list', 'libraries.listFirst']
/** Early answers not taken by then are dropped and held events delivered. */
export const EARLY_WAIT_MS = 10_000

export interface EarlyCallPorts {
  /** Asks the main side (ipcRenderer.invoke on the call's channel). */
  invoke(name: CallName, input: unknown): Promise<unknown>
  /** Hears every event while the early answers are pending; returns what stops it. */
  listen(capture: (event: EventName, payload: unknown) => void): () => void
  /** Hands a held event to the app's listeners. */
  deliver(event: EventName, payload: unknown): void
  setTimeout(callback: () => void, ms: number): unknown
  /** The locale the page collates names in (list-paging.ts listLocale of its language). */
  readonly locale: string
}

export interface EarlyCalls {
  /** The early answer for the app's first call of `name` with the early input, once; else null (ask the main side). */
  take(name: CallName, input: unknown): Promise<unknown> | null
  /** While true, an event is held here and must not reach the app's listeners directly. */
  holding(): boolean
}

export function startEarlyCalls(ports: EarlyCallPorts): EarlyCalls {
  const early = new Map<CallName, { readonly input: object; readonly answer: Promise<unknown> }>()
  let held: { readonly event: EventName; readonly payload: unknown }[] | null = null
  const stopListening = ports.listen((event, payload) => held?.push({ event, payload }))

  const release = (): void => {
    early.clear()
    stopListening()
    const events = held ?? []
    held = null
    for (const { event, payload } of events) ports.deliver(event, payload)
  }
  // After the app's own continuation of the answer it took (microtasks) has run: a task later.
  const releaseSoon = (): void => void ports.setTimeout(release, 0)

  for (const [name, input] of earlyCalls(ports.locale)) {
    const answer = ports.invoke(name, input)
    // Taken, it rejects as the app's own call would have; never taken, nobody is told.
    answer.catch(() => undefined)
    early.set(name, { input, answer })
  }
  void early.get('vault.state')?.answer.then(() => {
    if (early.size === 0) return
    held ??= []
    ports.setTimeout(release, EARLY_WAIT_MS)
  }, release)

  return {
    holding: () => held !== null,
    take(name, input) {
      const entry = early.get(name)
      if (entry === undefined || !sameInput(input, entry.input)) {
        // The app reads the list its own way: its answer comes after the events held so far, so they go first.
        if (early.size > 0 && LIST_READS.includes(name)) release()
        return null
      }
      early.delete(name)
      return entry.answer.then((result) => {
        const ok = isRecord(result) && result['ok'] === true
        if (name === 'vault.state') {
          // A vault that is not open has no list to give: the app asks again once it is.
          const open = ok && isRecord(result['value']) && result['value']['state'] === 'open'
          if (!open) releaseSoon()
          return result
        }
        releaseSoon()
        // Refused early (the vault closed meanwhile): the app's own call is sent now.
        return ok ? result : ports.invoke(name, input)
      })
    }
  }
}

/** The app's input is the early call's: both objects are built with their keys in the same order. */
function sameInput(input: unknown, earlyInput: object): boolean {
  return JSON.stringify(input) === JSON.stringify(earlyInput)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
