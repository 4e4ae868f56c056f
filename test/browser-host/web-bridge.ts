// Runs in the page (served by the browser host with its types stripped by Node, so: erasable syntax only, no
// imports but `import type`). Implements the bridge contract over the host's WebSocket and puts it on
// `window.larder`, exactly as the Electron preload does: `call` answers the CallResult (a refused call is a
// result, never a rejection); it rejects only when the host cannot be reached or refused this page.
//
// Start-up: this script runs before the app's (the host puts it, as a classic script, before the page's styles and
// modules, so the socket opens while the HTML is parsed). The two answers the app needs before it can show the list (where the
// vault stands, then the list's first page) are asked for as soon as the socket opens, so the host builds, checks and
// sends them while the app's script loads. Each early answer serves the app's first call of its name with the same
// input, once; a call for the list with another input (an app that reads it otherwise) lets the held events go first. Events that arrive after the first early answer are newer than it: they wait until the app has
// taken the early answers and acted on them, then reach its listeners in order (an app that never asks gets them
// after EARLY_WAIT_MS). Events before it are older and go straight through, as always.
import type { CallInput, CallName, CallResult, EventName, EventPayloads, LarderBridge } from '../../src/shared/contract.ts'

// The few browser APIs used here, declared locally so this file type-checks without the DOM library.
interface PageSocket {
  readonly readyState: number
  onopen: (() => void) | null
  onmessage: ((event: { readonly data: unknown }) => void) | null
  onclose: ((event: { readonly code: number; readonly reason: string }) => void) | null
  send(data: string): void
}
declare const WebSocket: new (url: string) => PageSocket
declare const location: { readonly protocol: string; readonly host: string; readonly hash: string; readonly pathname: string; readonly search: string }
declare const history: { replaceState(data: unknown, unused: string, url: string): void }
declare const sessionStorage: { getItem(key: string): string | null; setItem(key: string, value: string): void }
declare const window: object
declare const navigator: { readonly language?: string } | undefined

/** A failure of the transport itself (not a refused call): kind 'internal', as a thrown Error. */
type BridgeFailure = Error & { kind: 'internal'; field?: string }

const STORAGE_KEY = 'larder.bridge'
// src/shared/list-paging.ts's FIRST_PAGE_ROWS and listLocale, written out (this script imports nothing); a unit test
// checks they agree, so the early call's input is exactly the one the app's store asks with.
const FIRST_PAGE_ROWS = 200
const LIST_LOCALE = /^[A-Za-z0-9-]{2,35}$/
function listLocale(language: string | undefined): string {
  return language !== undefined && LIST_LOCALE.test(language) ? language : 'en'
}
const pageLanguage = typeof navigator === 'undefined' ? undefined : navigator?.language
const EARLY_CALLS: readonly (readonly [CallName, object])[] = [
  ['vault.state', {}],
  ['libraries.listFirst', { count: FIRST_PAGE_ROWS, locale: listLocale(pageLanguage) }]
]
/** Reads of the list: one with an input no early call has is the app's own, and what was held goes before it. */
const LIST_READS: readonly string[] = ['libraries.list', 'libraries.listFirst']
/** Early answers not taken by then are dropped and held events delivered. */
const EARLY_WAIT_MS = 10_000

// The secret arrives in the fragment (never sent to a server). It is removed from the address bar at once and
// kept in this tab's session storage, so a reload still connects.
const fragment = /(?:^#|&)bridge=([A-Za-z0-9_-]+)/.exec(location.hash)
if (fragment) history.replaceState(null, '', location.pathname + location.search)
const secret = fragment?.[1] ?? sessionStorage.getItem(STORAGE_KEY)
if (fragment?.[1]) sessionStorage.setItem(STORAGE_KEY, fragment[1])

const pending = new Map<number, { resolve(result: unknown): void; reject(error: Error): void }>()
const listeners = new Map<string, Set<(payload: unknown) => void>>()
let queue: string[] | null = [] // null once the socket is open: calls go straight out
let broken: string | null = secret ? null : 'No bridge secret: open the URL the browser host printed (it ends in #bridge=…)'
let nextId = 1
/** Early answers not yet taken by the app, by call name, with the input they were asked with. */
const early = new Map<string, { readonly input: object; readonly answer: Promise<unknown> }>()
/** Events held until the app has taken the early answers; null when not holding. */
let held: { readonly name: string; readonly payload: unknown }[] | null = null
/** The id of the early vault.state call: holding starts when its answer arrives. */
let firstEarlyId = -1

function failure(message: string): BridgeFailure {
  return Object.assign(new Error(message), { kind: 'internal' as const })
}

function breakAll(message: string): void {
  broken ??= message
  queue = []
  for (const { reject } of pending.values()) reject(failure(broken))
  pending.clear()
}

const socket = secret ? new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__host/bridge`) : null
if (socket) {
  // Hello and the calls asked for meanwhile go out together: the host takes messages in order, so the calls need
  // not wait a round trip for ready. A wrong secret closes the socket, and those calls fail with it.
  socket.onopen = () => {
    socket.send(JSON.stringify({ type: 'hello', secret }))
    for (const text of queue ?? []) socket.send(text)
    queue = null
  }
  socket.onclose = (event) => {
    breakAll(event.code === 1008 ? 'The browser host refused this page (wrong or missing bridge secret)' : 'The connection to the browser host was lost')
  }
  const dispatch = (name: string, payload: unknown): void => {
    if (held !== null) {
      held.push({ name, payload })
      return
    }
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload)
      } catch (error) {
        console.error(error)
      }
    }
  }
  socket.onmessage = (event) => {
    if (typeof event.data !== 'string') return
    const message = JSON.parse(event.data) as { type?: string; id?: number; result?: unknown; rows?: unknown; name?: string; payload?: unknown; message?: string; list?: unknown }
    if (message.type === 'ready') {
      // Authenticated; the calls went out with the hello.
    } else if (message.type === 'result' && typeof message.id === 'number') {
      if (message.id === firstEarlyId && early.size > 0) startHolding()
      pending.get(message.id)?.resolve(message.rows === undefined ? message.result : { ok: true, value: unpacked(message.rows as PackedRows) })
      pending.delete(message.id)
    } else if (message.type === 'event' && typeof message.name === 'string') {
      dispatch(message.name, message.payload)
    } else if (message.type === 'events' && Array.isArray(message.list)) {
      // One turn's events, in order.
      for (const item of message.list as { name?: unknown; payload?: unknown }[]) if (typeof item.name === 'string') dispatch(item.name, item.payload)
    } else if (message.type === 'error') {
      console.error(`Larder browser host: ${message.message ?? 'error'}`)
    }
  }
}

/** A long list sent as rows (wire.ts packedRows): the same objects, keys in the same order. */
interface PackedRows {
  readonly shapes: readonly (readonly string[])[]
  readonly rows: readonly (readonly unknown[])[]
  /** An answer holding the list as its `rows`: its other fields, `rows` in its place as null. */
  readonly rest?: Record<string, unknown>
}

/** The answer's value: the list itself, or the object that held it as `rows` (keys in their order). */
function unpacked(packed: PackedRows): unknown {
  return packed.rest === undefined ? unpackRows(packed) : { ...packed.rest, rows: unpackRows(packed) }
}

function unpackRows(packed: PackedRows): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = new Array<Record<string, unknown>>(packed.rows.length)
  for (let i = 0; i < packed.rows.length; i++) {
    const row = packed.rows[i] as readonly unknown[]
    const keys = packed.shapes[row[0] as number] as readonly string[]
    const item: Record<string, unknown> = {}
    for (let k = 0; k < keys.length; k++) item[keys[k] as string] = row[k + 1]
    out[i] = item
  }
  return out
}

function send<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
  if (broken !== null || socket === null) return Promise.reject(failure(broken ?? 'No bridge'))
  const id = nextId++
  const text = JSON.stringify({ type: 'call', id, name, input })
  return new Promise<CallResult<N>>((resolve, reject) => {
    pending.set(id, { resolve: (result) => resolve(result as CallResult<N>), reject })
    if (queue === null) socket.send(text)
    else queue.push(text)
  })
}

function startHolding(): void {
  held ??= []
  setTimeout(release, EARLY_WAIT_MS)
}

/** No more early answers: what was held goes to the listeners, in order. */
function release(): void {
  early.clear()
  const events = held ?? []
  held = null
  for (const { name, payload } of events) {
    for (const listener of listeners.get(name) ?? []) {
      try {
        listener(payload)
      } catch (error) {
        console.error(error)
      }
    }
  }
}

/** After the app's own continuation of the answer it took (microtasks) has run: a task later. */
function releaseSoon(): void {
  setTimeout(release, 0)
}

/** The app's input is the early call's: both objects are built with their keys in the same order. */
function sameInput(input: unknown, earlyInput: object): boolean {
  return JSON.stringify(input) === JSON.stringify(earlyInput)
}

function takeEarly<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> | null {
  const entry = early.get(name)
  if (entry === undefined || !sameInput(input, entry.input)) {
    // The app reads the list its own way: its answer comes after the events held so far, so they go first, as they
    // would have with no early call.
    if (early.size > 0 && LIST_READS.includes(name)) release()
    return null
  }
  early.delete(name)
  return (entry.answer as Promise<CallResult<N>>).then((result) => {
    if (name === 'vault.state') {
      // A vault that is not open has no list to give: the app asks again once it is.
      const open = result.ok && (result.value as { state?: unknown }).state === 'open'
      if (!open) releaseSoon()
      return result
    }
    releaseSoon()
    // Refused early (the vault closed meanwhile): the app's own call is sent now.
    return result.ok ? result : send(name, input)
  })
}

if (socket) {
  // First in the queue: they go out with the hello.
  firstEarlyId = nextId
  for (const [name, input] of EARLY_CALLS) {
    const answer = send(name, input as CallInput<typeof name>)
    // Taken, it rejects as the app's own call would have (the host gone); never taken, nobody is told.
    answer.catch(() => undefined)
    early.set(name, { input, answer })
  }
}

const bridge: LarderBridge = {
  host: 'browser',
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallResult<N>> {
    return takeEarly(name, input) ?? send(name, input)
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void): () => void {
    if (typeof listener !== 'function') throw new Error('listener must be a function')
    const wrapped = (payload: unknown): void => listener(payload as EventPayloads[E])
    const set = listeners.get(event) ?? new Set<(payload: unknown) => void>()
    listeners.set(event, set)
    set.add(wrapped)
    return () => {
      set.delete(wrapped)
    }
  }
}

Object.defineProperty(window, 'larder', { value: Object.freeze(bridge), enumerable: true })
