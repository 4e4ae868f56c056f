// The in-page half of the wave and start-up benchmarks: functions handed to page.addInitScript / page.evaluate, so
// each is self-contained (Playwright sends its source text). The Node tsconfig has no DOM types: the little of the
// page used here is described by the interfaces below.
//
// Counting without touching the app: React reports every commit to a DevTools hook if one exists before it loads
// (production builds too), so the recorder installs a minimal one. From the first committed tree it finds the app's
// zustand store (the StoreProvider's `store` prop) and subscribes to it: every store update is counted, and the
// store's state can be read back to compare with the main side's.

interface PageStoreState {
  readonly byId: Readonly<Record<string, unknown>>
  readonly ids: readonly string[]
}

interface PageStore {
  getState(): PageStoreState
  subscribe(listener: (state: PageStoreState, previous: PageStoreState) => void): () => void
}

interface Fiber {
  readonly memoizedProps: unknown
  readonly child: Fiber | null
  readonly sibling: Fiber | null
}

export interface LongTask {
  readonly startTime: number
  readonly duration: number
}

export interface FirstPaint {
  /** performance.now() when the first `.library-row` was in the DOM. */
  readonly rowsAt: number
  /** The end of the frame that first showed rows (a message posted from its rAF callback). */
  readonly paintedAt: number
  /** From the navigation's start (performance.timeOrigin) to each: the page was asked for at 0. */
  readonly domContentLoadedAt: number
  /** When the list's answer arrived (the bridge's message event), or null if not seen. */
  readonly listArrivedAt: number | null
  /** When the store took the list (loadState 'ready'), or null. */
  readonly listStoredAt: number | null
  /** Bytes of the `libraries.list` answer as it arrived over the socket. */
  readonly listBytes: number
  /** JSON.parse of that answer in the page (measured again on its own text after the paint). */
  readonly listParseMs: number
  readonly longTasks: readonly LongTask[]
}

export interface WaveWindow {
  readonly startedAt: number
  readonly endedAt: number
  /** Store updates, and of those the ones that changed the libraries (byId). */
  readonly storeUpdates: number
  readonly libraryUpdates: number
  /** React commits (all roots). */
  readonly commits: number
  /** Animation frames seen, and the longest gap between two. */
  readonly frames: number
  readonly longestFrameGapMs: number
  /** Library events that reached the page in the window. */
  readonly libraryEvents: number
  readonly longTasks: readonly LongTask[]
}

interface Recorder {
  store: PageStore | null
  commits: number
  storeUpdates: number
  libraryUpdates: number
  lastLibraryUpdateAt: number
  readonly longTasks: LongTask[]
  /** Library events (changed, removed) that reached the page's socket. */
  libraryEvents: number
  armed: { startedAt: number; commits: number; storeUpdates: number; libraryUpdates: number; libraryEvents: number; frameTimes: number[] } | null
  firstPaint: Promise<FirstPaint>
  /** The list answer's text as it came over the socket (kept only until the first paint is measured). */
  listText: string | null
  listArrivedAt: number | null
  listStoredAt: number | null
}

interface PageGlobal {
  __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown
  __larderWave?: Recorder
  readonly performance: { now(): number; mark(name: string): unknown; getEntriesByType(type: string): ArrayLike<{ readonly domContentLoadedEventEnd?: number }> }
  readonly document: { querySelector(selector: string): unknown }
  readonly WebSocket: { prototype: { addEventListener(type: string, listener: (event: { data: unknown }) => void): void } } & (new (...args: never[]) => object)
  requestAnimationFrame(callback: () => void): number
  setTimeout(callback: () => void, ms: number): number
  readonly MessageChannel: new () => { readonly port1: { onmessage: (() => void) | null }; readonly port2: { postMessage(message: null): void } }
  readonly MutationObserver: new (callback: () => void) => { observe(target: unknown, options: { childList: boolean; subtree: boolean }): void; disconnect(): void }
  readonly PerformanceObserver: new (callback: (list: { getEntries(): ArrayLike<LongTask> }) => void) => { observe(options: { type: string; buffered?: boolean }): void }
  readonly TextEncoder: new () => { encode(text: string): Uint8Array }
  readonly crypto: { readonly subtle: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> } }
}

/** Init script: the DevTools hook, the store's subscription, long tasks, the first list paint. */
export function installWaveRecorder(): void {
  const g = globalThis as unknown as PageGlobal
  const now = (): number => g.performance.now()
  const recorder: Recorder = {
    store: null,
    commits: 0,
    storeUpdates: 0,
    libraryUpdates: 0,
    lastLibraryUpdateAt: 0,
    longTasks: [],
    libraryEvents: 0,
    armed: null,
    firstPaint: Promise.resolve(null as unknown as FirstPaint),
    listText: null,
    listArrivedAt: null,
    listStoredAt: null
  }
  g.__larderWave = recorder
  try {
    new g.PerformanceObserver((list) => {
      const entries = list.getEntries()
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]
        if (entry) recorder.longTasks.push({ startTime: entry.startTime, duration: entry.duration })
      }
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task timing here: the figures say 0.
  }

  const findStore = (fiber: Fiber | null, depth: number): PageStore | null => {
    for (let node = fiber; node !== null && depth < 40; node = node.sibling) {
      const props = node.memoizedProps as { store?: Partial<PageStore> } | null
      const store = props?.store
      if (store && typeof store.getState === 'function' && typeof store.subscribe === 'function') return store as PageStore
      const below = findStore(node.child, depth + 1)
      if (below) return below
    }
    return null
  }
  const attach = (store: PageStore): void => {
    recorder.store = store
    // Found at React's first commit: the list may already be in (then "stored" is when that commit happened).
    if ((store.getState() as unknown as { loadState?: string }).loadState === 'ready') recorder.listStoredAt = now()
    store.subscribe((state, previous) => {
      recorder.storeUpdates++
      if (state.byId !== previous.byId) {
        recorder.libraryUpdates++
        recorder.lastLibraryUpdateAt = now()
      }
      if (recorder.listStoredAt === null && (state as unknown as { loadState?: string }).loadState === 'ready') recorder.listStoredAt = now()
    })
  }
  g.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    renderers: new Map(),
    supportsFiber: true,
    isDisabled: false,
    inject: () => 1,
    checkDCE: () => undefined,
    onScheduleFiberRoot: () => undefined,
    onCommitFiberUnmount: () => undefined,
    onPostCommitFiberRoot: () => undefined,
    onCommitFiberRoot: (_id: number, root: { current: Fiber }) => {
      recorder.commits++
      if (recorder.store === null) {
        const store = findStore(root.current, 0)
        if (store) attach(store)
      }
    }
  }

  // The list's answer as it arrives: its size and arrival time (the socket's own message event, before the bridge's).
  const proto = g.WebSocket.prototype as { addEventListener(type: string, listener: (event: { data: unknown }) => void): void; __larderWaveWrapped?: boolean }
  const originalAdd = proto.addEventListener
  const sniff = (event: { data: unknown }): void => {
    if (typeof event.data !== 'string') return
    const text = event.data
    // One event, or one turn's events together ({"type":"events","list":[…]}); a quote inside a value is escaped.
    // Counted in place: splitting a turn's message (hundreds of kB) made arrays in the page's own socket task,
    // the benchmark's work landing in the renderer's tasks it measures.
    if (text.startsWith('{"type":"event')) {
      const marker = '{"type":"event","name":"library.'
      for (let at = text.indexOf(marker); at !== -1; at = text.indexOf(marker, at + marker.length)) recorder.libraryEvents++
    }
    if (recorder.listText !== null) return
    // The list: a result holding a list, or one sent as rows (test/browser-host/host.ts packedRows).
    // The first page of a long list is packed too; a short list's first page is the whole list, unpacked.
    if (text.startsWith('{"type":"result"') && (/^\{"type":"result","id":\d+,"rows":/.test(text) || text.includes('"ok":true,"value":[') || text.includes('"ok":true,"value":{"version"'))) {
      recorder.listArrivedAt = now()
      recorder.listText = text
    }
  }
  const socketsSeen = new WeakSet<object>()
  const watch = (socket: object): void => {
    if (socketsSeen.has(socket)) return
    socketsSeen.add(socket)
    originalAdd.call(socket, 'message', sniff)
  }
  // web-bridge.ts sets onmessage; the setter is on the prototype, so watching is added when it is assigned.
  const descriptor = Object.getOwnPropertyDescriptor(proto, 'onmessage')
  if (descriptor?.set) {
    const set = descriptor.set
    Object.defineProperty(proto, 'onmessage', {
      ...descriptor,
      set(this: object, value: unknown) {
        watch(this)
        set.call(this, value)
      }
    })
  }

  recorder.firstPaint = new Promise<FirstPaint>((resolve) => {
    const observer = new g.MutationObserver(() => {
      if (g.document.querySelector('.library-row') === null) return
      const rowsAt = now()
      observer.disconnect()
      g.requestAnimationFrame(() => {
        const channel = new g.MessageChannel()
        channel.port1.onmessage = () => {
          const paintedAt = now()
          const navigation = g.performance.getEntriesByType('navigation')[0]
          const text = recorder.listText ?? ''
          const parseStarted = now()
          if (text !== '') JSON.parse(text)
          const listParseMs = now() - parseStarted
          recorder.listText = null
          resolve({
            rowsAt,
            paintedAt,
            domContentLoadedAt: navigation?.domContentLoadedEventEnd ?? 0,
            listArrivedAt: recorder.listArrivedAt,
            listStoredAt: recorder.listStoredAt,
            listBytes: new g.TextEncoder().encode(text).length,
            listParseMs,
            longTasks: recorder.longTasks.filter((task) => task.startTime < paintedAt)
          })
        }
        channel.port2.postMessage(null)
      })
    })
    observer.observe(g.document, { childList: true, subtree: true })
  })
}

export function readFirstPaint(): Promise<FirstPaint> {
  const recorder = (globalThis as unknown as PageGlobal).__larderWave
  if (!recorder) throw new Error('the wave recorder is not installed')
  return recorder.firstPaint
}

/** Resolves once the store holds the whole list (a long list's first page comes first, the rest just after). */
export function readListStored(): Promise<number> {
  const recorder = (globalThis as unknown as PageGlobal).__larderWave
  if (!recorder) throw new Error('the wave recorder is not installed')
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const check = (): void => {
      if (recorder.listStoredAt !== null) resolve(recorder.listStoredAt)
      else if (performance.now() - started > 30_000) reject(new Error('the whole list never reached the store'))
      else setTimeout(check, 10)
    }
    check()
  })
}

/** The user-timing mark armWave sets (its text is inlined there: the page gets only the function's own source). */
export const WAVE_ARMED_MARK = 'larder-wave-armed'

/** Starts counting (store updates, commits, frames, library events) from now. */
export function armWave(): number {
  const g = globalThis as unknown as PageGlobal
  const recorder = g.__larderWave
  if (!recorder || recorder.store === null) throw new Error('the wave recorder found no store')
  const startedAt = g.performance.now()
  // A trace of the window places this mark on its clock: the long tasks' page times map onto the trace's tasks.
  g.performance.mark('larder-wave-armed')
  const armed = { startedAt, commits: recorder.commits, storeUpdates: recorder.storeUpdates, libraryUpdates: recorder.libraryUpdates, libraryEvents: recorder.libraryEvents, frameTimes: [] as number[] }
  recorder.armed = armed
  const frame = (): void => {
    if (recorder.armed !== armed) return
    armed.frameTimes.push(g.performance.now())
    g.requestAnimationFrame(frame)
  }
  g.requestAnimationFrame(frame)
  return startedAt
}

/**
 * Ends the window once `events` library events have reached the page and the store has then been quiet for
 * `quietMs` (longer than the store's longest pause between updates), so its last update has happened. The window
 * ends at that last update (or now, for an idle window with no events). Nothing costly runs in the page meanwhile:
 * comparing the store with the main side's views is verifyWave's, after the figures are read.
 */
export function finishWave(args: { readonly events: number; readonly quietMs: number; readonly timeoutMs: number }): Promise<WaveWindow> {
  const g = globalThis as unknown as PageGlobal
  const recorder = g.__larderWave
  const armed = recorder?.armed
  if (!recorder || !armed) throw new Error('the wave was not armed')
  const finish = (endedAt: number): WaveWindow => {
    recorder.armed = null
    const frames = armed.frameTimes.filter((at) => at <= endedAt)
    let longestGap = 0
    let previous = armed.startedAt
    for (const at of frames) {
      longestGap = Math.max(longestGap, at - previous)
      previous = at
    }
    return {
      startedAt: armed.startedAt,
      endedAt,
      storeUpdates: recorder.storeUpdates - armed.storeUpdates,
      libraryUpdates: recorder.libraryUpdates - armed.libraryUpdates,
      commits: recorder.commits - armed.commits,
      frames: frames.length,
      longestFrameGapMs: longestGap,
      libraryEvents: recorder.libraryEvents - armed.libraryEvents,
      longTasks: recorder.longTasks.filter((task) => task.startTime + task.duration > armed.startedAt && task.startTime < endedAt)
    }
  }
  const deadline = g.performance.now() + args.timeoutMs
  return new Promise<WaveWindow>((resolve, reject) => {
    const check = (): void => {
      const now = g.performance.now()
      const arrived = recorder.libraryEvents - armed.libraryEvents >= args.events
      const lastUpdate = Math.max(armed.startedAt, recorder.lastLibraryUpdateAt)
      if (arrived && args.events === 0) return resolve(finish(now))
      if (arrived && now - lastUpdate >= args.quietMs && recorder.libraryUpdates > armed.libraryUpdates) return resolve(finish(lastUpdate))
      if (now > deadline) {
        recorder.armed = null
        return reject(new Error(`the page saw ${recorder.libraryEvents - armed.libraryEvents} of ${args.events} library events and ${recorder.libraryUpdates - armed.libraryUpdates} store updates within ${args.timeoutMs} ms`))
      }
      g.setTimeout(check, 50)
    }
    check()
  })
}

/** The libraries in `expected` (id → its view as JSON) whose view in the store differs, and the first of them. */
export function verifyWave(expected: Readonly<Record<string, string>>): { readonly differing: number; readonly first: string | null } {
  const g = globalThis as unknown as PageGlobal
  const store = g.__larderWave?.store
  if (!store) throw new Error('the wave recorder found no store')
  const { byId } = store.getState()
  const differing = Object.keys(expected).filter((id) => JSON.stringify(byId[id]) !== expected[id])
  return { differing: differing.length, first: differing[0] ?? null }
}

/** SHA-256 (hex) of every library's list row in the store, `id\nJSON\n` in id order, with their count: compared with the main side's rows. */
export async function storeDigest(): Promise<{ readonly count: number; readonly ids: number; readonly sha256: string }> {
  const g = globalThis as unknown as PageGlobal
  const store = g.__larderWave?.store
  if (!store) throw new Error('the wave recorder found no store')
  const { byId, ids } = store.getState()
  const keys = Object.keys(byId).sort()
  let text = ''
  for (const id of keys) text += `${id}\n${JSON.stringify(byId[id])}\n`
  const hash = await g.crypto.subtle.digest('SHA-256', new g.TextEncoder().encode(text))
  const hex = Array.from(new Uint8Array(hash), (byte) => byte.toString(16).padStart(2, '0')).join('')
  return { count: keys.length, ids: ids.length, sha256: hex }
}

interface ErrorGlobal {
  __larderPageErrors?: string[]
  addEventListener(type: string, listener: (event: { readonly message?: string; readonly error?: unknown; readonly reason?: unknown }) => void): void
}

/** Init script: uncaught errors and unhandled rejections, kept for readPageErrors (a bare DevTools page has no 'pageerror'). */
export function installErrorRecorder(): void {
  const g = globalThis as unknown as ErrorGlobal
  const errors: string[] = []
  g.__larderPageErrors = errors
  g.addEventListener('error', (event) => {
    // Chromium's notice that a ResizeObserver's changes wait for the next frame comes as an error event with no
    // error in it; Playwright's 'pageerror' (uncaught exceptions) never reported it, so neither does this.
    if (event.error === null && String(event.message).startsWith('ResizeObserver loop')) return
    errors.push(String(event.message))
  })
  g.addEventListener('unhandledrejection', (event) => void errors.push(`unhandled rejection: ${String(event.reason)}`))
}

export function readPageErrors(): readonly string[] {
  return (globalThis as unknown as ErrorGlobal).__larderPageErrors ?? []
}
