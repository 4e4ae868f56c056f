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
  /** When the last library update happened (the wave's last change reached the store). */
  readonly lastLibraryUpdateAt: number
  readonly longTasks: readonly LongTask[]
}

interface Recorder {
  store: PageStore | null
  commits: number
  storeUpdates: number
  libraryUpdates: number
  lastLibraryUpdateAt: number
  readonly longTasks: LongTask[]
  armed: { startedAt: number; commits: number; storeUpdates: number; libraryUpdates: number; frames: number; lastFrameAt: number; longestGap: number } | null
  firstPaint: Promise<FirstPaint>
  /** The list answer's text as it came over the socket (kept only until the first paint is measured). */
  listText: string | null
  listArrivedAt: number | null
  listStoredAt: number | null
}

interface PageGlobal {
  __REACT_DEVTOOLS_GLOBAL_HOOK__?: unknown
  __larderWave?: Recorder
  readonly performance: { now(): number; getEntriesByType(type: string): ArrayLike<{ readonly domContentLoadedEventEnd?: number }> }
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
    if (recorder.listText !== null || typeof event.data !== 'string') return
    const text = event.data
    if (text.startsWith('{"type":"result"') && text.includes('"ok":true,"value":[')) {
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

/** Starts counting (store updates, commits, frames) from now. */
export function armWave(): number {
  const g = globalThis as unknown as PageGlobal
  const recorder = g.__larderWave
  if (!recorder || recorder.store === null) throw new Error('the wave recorder found no store')
  const startedAt = g.performance.now()
  const armed = { startedAt, commits: recorder.commits, storeUpdates: recorder.storeUpdates, libraryUpdates: recorder.libraryUpdates, frames: 0, lastFrameAt: startedAt, longestGap: 0 }
  recorder.armed = armed
  const frame = (): void => {
    if (recorder.armed !== armed) return
    const at = g.performance.now()
    armed.frames++
    armed.longestGap = Math.max(armed.longestGap, at - armed.lastFrameAt)
    armed.lastFrameAt = at
    g.requestAnimationFrame(frame)
  }
  g.requestAnimationFrame(frame)
  return startedAt
}

/**
 * Waits until every library in `expected` (id → its view as JSON) is in the store exactly so, then stops counting.
 * The window ends at the store update that completed it (for a wave) or now (nothing expected: an idle window).
 */
export function finishWave(args: { readonly expected: Readonly<Record<string, string>>; readonly timeoutMs: number }): Promise<WaveWindow> {
  const g = globalThis as unknown as PageGlobal
  const recorder = g.__larderWave
  const store = recorder?.store
  const armed = recorder?.armed
  if (!recorder || !store || !armed) throw new Error('the wave was not armed')
  const ids = Object.keys(args.expected)
  const matches = (state: PageStoreState): boolean => ids.every((id) => JSON.stringify(state.byId[id]) === args.expected[id])
  const finish = (endedAt: number): WaveWindow => {
    recorder.armed = null
    return {
      startedAt: armed.startedAt,
      endedAt,
      storeUpdates: recorder.storeUpdates - armed.storeUpdates,
      libraryUpdates: recorder.libraryUpdates - armed.libraryUpdates,
      commits: recorder.commits - armed.commits,
      frames: armed.frames,
      longestFrameGapMs: armed.longestGap,
      lastLibraryUpdateAt: recorder.lastLibraryUpdateAt,
      longTasks: recorder.longTasks.filter((task) => task.startTime + task.duration > armed.startedAt)
    }
  }
  return new Promise<WaveWindow>((resolve, reject) => {
    if (matches(store.getState())) {
      // Nothing left to arrive: an idle window ends now, a wave at its last library update.
      resolve(finish(ids.length === 0 ? g.performance.now() : Math.max(recorder.lastLibraryUpdateAt, armed.startedAt)))
      return
    }
    let done = false
    const unsubscribe = store.subscribe((state, previous) => {
      if (done || state.byId === previous.byId || !matches(state)) return
      done = true
      unsubscribe()
      resolve(finish(recorder.lastLibraryUpdateAt))
    })
    g.setTimeout(() => {
      if (done) return
      done = true
      unsubscribe()
      const missing = ids.filter((id) => JSON.stringify(store.getState().byId[id]) !== args.expected[id])
      reject(new Error(`the store did not reach the main side's views within ${args.timeoutMs} ms: ${missing.length} of ${ids.length} differ (first: ${missing[0] ?? '-'})`))
    }, args.timeoutMs)
  })
}

/** SHA-256 (hex) of every library in the store, `id\nJSON\n` in id order, with their count: compared with the main side's. */
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
