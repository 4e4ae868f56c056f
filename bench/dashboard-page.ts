// The in-page half of bench/dashboard.ts: functions handed to page.addInitScript / page.evaluate, so each one
// is self-contained (Playwright sends its source text: no helper outside the function exists in the page). This project's
// Node tsconfig has no DOM types, so the little of the DOM used here is described by the interfaces below.
//
// "Frame done" everywhere means: a requestAnimationFrame callback, then a message posted from it. The message
// runs after that frame's style, layout and paint (Chromium does those in the same task as the rAF callbacks),
// so its performance.now() is when the frame with the change was ready to show.

interface PageRect {
  readonly top: number
  readonly bottom: number
}

interface PageElement {
  readonly parentElement: PageElement | null
  closest(selector: string): PageElement | null
  querySelector(selector: string): PageElement | null
  querySelectorAll(selector: string): ArrayLike<PageElement>
  getBoundingClientRect(): PageRect
  getAttribute(name: string): string | null
  scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  readonly clientTop: number
}

interface PageEvent {
  readonly timeStamp: number
  readonly target: PageElement | null
}

interface PageMutationRecord {
  /** An element, or a text node (which has no closest()). */
  readonly target: { readonly parentElement: PageElement | null; readonly closest?: PageElement['closest'] }
}

interface PageWindow {
  readonly document: {
    querySelector(selector: string): PageElement | null
    addEventListener(type: string, listener: (event: PageEvent) => void, capture: boolean): void
  }
  readonly performance: {
    now(): number
    mark(name: string): void
    getEntriesByName(name: string): ArrayLike<{ readonly startTime: number }>
  }
  requestAnimationFrame(callback: (time: number) => void): number
  setTimeout(callback: () => void, ms: number): number
  clearTimeout(handle: number): void
  readonly MessageChannel: new () => {
    readonly port1: { onmessage: (() => void) | null }
    readonly port2: { postMessage(message: null): void }
  }
  readonly MutationObserver: new (callback: (records: readonly PageMutationRecord[]) => void) => {
    observe(target: object, options: { childList?: boolean; subtree?: boolean; attributes?: boolean; attributeFilter?: readonly string[]; characterData?: boolean }): void
    disconnect(): void
  }
  readonly PerformanceObserver: new (callback: (list: { getEntries(): ArrayLike<{ readonly startTime: number; readonly duration: number }> }) => void) => {
    observe(options: { type: string; buffered?: boolean }): void
  }
  __larderBench?: PageRecorder
}

export interface FrameDone {
  /** performance.now() in the rAF callback: the frame has started, its style/layout/paint have not. */
  readonly rafAt: number
  /** performance.now() in a message posted from that callback: the frame's rendering is done. */
  readonly paintedAt: number
}

export interface FirstRowsTiming extends FrameDone {
  /**
   * When the MutationObserver first saw a `.library-row` (the render that put rows in the DOM has committed) — with
   * an expected row count, when the grid first said it lists that many (a mixed list's keys go in with its last rows).
   */
  readonly mutationAt: number
  /** When the first `.library-row` was seen (the same as mutationAt unless rows were expected). */
  readonly firstRowAt: number
  /** When "Loading libraries…" first appeared (the shell was on screen before the list arrived), or null. */
  readonly loadingAt: number | null
}

export interface KeystrokeTiming extends FrameDone {
  /** keydown's event.timeStamp: when the browser received the key. */
  readonly keydownAt: number
  /** When the page's keydown listener ran (keydownAt → this: waiting for the main thread). */
  readonly keydownHandledAt: number
  /** When the list's DOM changed (rows added, removed or moved, the body's height), or null if it did not. */
  readonly mutationAt: number | null
  /** When the input event had been handled (after React's listener, on the document). */
  readonly inputAt: number | null
}

export interface LongTask {
  readonly startTime: number
  readonly duration: number
}

interface PageRecorder {
  firstRows: FirstRowsTiming | null
  /** Resolves once the first frame with rows in it is done; rejects after `timeoutMs`. */
  whenFirstRows(timeoutMs: number): Promise<FirstRowsTiming>
  readonly longTasks: LongTask[]
  /** Arms the recorder for the next keystroke in the search box. `expectChange`: the list will change. */
  armKeystroke(expectChange: boolean): void
  /** The armed keystroke's timing, once its frame is done; rejects after `timeoutMs`. */
  keystroke(timeoutMs: number): Promise<KeystrokeTiming>
}

/** The performance mark the recorder sets when the first render's frame is done (the whole list, when expected). */
export const FIRST_RENDER_MARK = 'larder-bench:first-render-painted'

/**
 * Init script (runs before the app): records the first frame with rows, long tasks, and armed keystrokes.
 * `expect.rows`: the first frame counted is the one where the grid lists that many rows (libraries and keys).
 */
export function installRecorder(expect?: { readonly rows?: number }): void {
  const g = globalThis as unknown as PageWindow
  const expectedRows = expect?.rows
  const now = (): number => g.performance.now()
  const afterNextFrame = (done: (frame: FrameDone) => void): void => {
    g.requestAnimationFrame(() => {
      const rafAt = now()
      const channel = new g.MessageChannel()
      channel.port1.onmessage = () => done({ rafAt, paintedAt: now() })
      channel.port2.postMessage(null)
    })
  }
  const longTasks: LongTask[] = []
  try {
    new g.PerformanceObserver((list) => {
      const entries = list.getEntries()
      for (let i = 0; i < entries.length; i++) {
        const entry = entries[i]
        if (entry) longTasks.push({ startTime: entry.startTime, duration: entry.duration })
      }
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task timing in this browser: the figures say 0.
  }

  // First rows: watch the whole document until a row exists (and, when expected, the grid lists them all).
  let firstRows: FirstRowsTiming | null = null
  let loadingAt: number | null = null
  let firstRowAt: number | null = null
  const firstRowsWaiters: ((timing: FirstRowsTiming) => void)[] = []
  const listed = (): number => Number(g.document.querySelector('#library-grid')?.getAttribute('aria-rowcount') ?? '1') - 1
  const pageObserver = new g.MutationObserver(() => {
    if (loadingAt === null && g.document.querySelector('.loading') !== null) loadingAt = now()
    if (firstRowAt === null) {
      if (g.document.querySelector('.library-row') === null) return
      firstRowAt = now()
    }
    if (expectedRows !== undefined && listed() < expectedRows) return
    const mutationAt = now()
    const rowAt = firstRowAt
    pageObserver.disconnect()
    afterNextFrame((frame) => {
      // For a trace of the page: where the first render ends (FIRST_RENDER_MARK; the page has no outside names).
      g.performance.mark('larder-bench:first-render-painted')
      firstRows = { mutationAt, firstRowAt: rowAt, loadingAt, ...frame }
      recorder.firstRows = firstRows
      for (const waiter of firstRowsWaiters.splice(0)) waiter(firstRows)
    })
  })
  // The row count is an attribute of the grid: the list's last rows (keys among them) may change only it (none in view).
  pageObserver.observe(g.document, expectedRows === undefined ? { childList: true, subtree: true } : { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-rowcount'] })

  // Keystrokes: armed from the bench before each key is pressed.
  interface Armed {
    readonly expectChange: boolean
    keydownAt: number | null
    keydownHandledAt: number
    inputAt: number | null
    mutationAt: number | null
    framePending: boolean
    result: KeystrokeTiming | null
    waiter: ((timing: KeystrokeTiming) => void) | null
  }
  let armed: Armed | null = null
  let listObserved = false
  const finishAfterFrame = (key: Armed): void => {
    if (key.framePending) return
    key.framePending = true
    afterNextFrame((frame) => {
      if (key.keydownAt === null) return
      key.result = { keydownAt: key.keydownAt, keydownHandledAt: key.keydownHandledAt, inputAt: key.inputAt, mutationAt: key.mutationAt, ...frame }
      key.waiter?.(key.result)
    })
  }
  const isSearch = (target: PageElement | null): boolean => target !== null && target.closest('#library-search') !== null
  g.document.addEventListener(
    'keydown',
    (event) => {
      if (armed === null || armed.keydownAt !== null || !isSearch(event.target)) return
      armed.keydownAt = event.timeStamp
      armed.keydownHandledAt = now()
    },
    true
  )
  // On the document, bubbling: after React's own listener (on the root) has handled the same event.
  g.document.addEventListener(
    'input',
    (event) => {
      if (armed === null || armed.keydownAt === null || armed.inputAt !== null || !isSearch(event.target)) return
      armed.inputAt = now()
      if (!armed.expectChange) finishAfterFrame(armed)
    },
    false
  )
  const listObserver = new g.MutationObserver((records) => {
    const key = armed
    if (key === null || key.keydownAt === null || key.mutationAt !== null) return
    // A clock tick changes only <time> labels; that is not the list answering the keystroke.
    const real = records.some((record) => {
      const element = record.target.closest ? (record.target as PageElement) : record.target.parentElement
      return element === null || element.closest('time') === null
    })
    if (!real) return
    key.mutationAt = now()
    finishAfterFrame(key)
  })

  const recorder: PageRecorder = {
    firstRows: null,
    whenFirstRows(timeoutMs) {
      if (firstRows !== null) return Promise.resolve(firstRows)
      return new Promise((resolve, reject) => {
        const timer = g.setTimeout(() => reject(new Error(`no library row appeared within ${timeoutMs} ms`)), timeoutMs)
        firstRowsWaiters.push((timing) => {
          g.clearTimeout(timer)
          resolve(timing)
        })
      })
    },
    longTasks,
    armKeystroke(expectChange) {
      // A page without a list (the bare <input> reference) has nothing to watch; its keystrokes expect no change.
      if (!listObserved && (expectChange || g.document.querySelector('.list-pane') !== null)) {
        const pane = g.document.querySelector('.list-pane')
        if (pane === null) throw new Error('no .list-pane in the page')
        listObserver.observe(pane, { childList: true, subtree: true, attributes: true, characterData: true })
        listObserved = true
      }
      armed = { expectChange, keydownAt: null, keydownHandledAt: 0, inputAt: null, mutationAt: null, framePending: false, result: null, waiter: null }
    },
    keystroke(timeoutMs) {
      const key = armed
      if (key === null) return Promise.reject(new Error('no keystroke armed'))
      if (key.result !== null) return Promise.resolve(key.result)
      return new Promise((resolve, reject) => {
        const timer = g.setTimeout(() => {
          const what = key.keydownAt === null ? 'no keydown reached the search box' : key.expectChange ? 'the list did not change' : 'no frame came'
          reject(new Error(`keystroke not done within ${timeoutMs} ms: ${what}`))
        }, timeoutMs)
        key.waiter = (timing) => {
          g.clearTimeout(timer)
          resolve(timing)
        }
      })
    }
  }
  g.__larderBench = recorder
}

/** page.evaluate: the first frame with rows, and when the fake bridge answered `libraries.list` (`mark`). */
export function readFirstRender(args: { readonly mark: string; readonly timeoutMs: number }): Promise<{ answeredAt: number | null; rows: FirstRowsTiming; longTasks: LongTask[] }> {
  const g = globalThis as unknown as PageWindow
  const recorder = g.__larderBench
  if (recorder === undefined) return Promise.reject(new Error('the bench recorder is not in the page'))
  return recorder.whenFirstRows(args.timeoutMs).then((rows) => {
    const at = (name: string): number | null => {
      const marks = g.performance.getEntriesByName(name)
      const mark = marks.length > 0 ? marks[0] : undefined
      return mark === undefined ? null : mark.startTime
    }
    return { answeredAt: at(args.mark), rows, longTasks: recorder.longTasks.slice() }
  })
}

export interface RowCount {
  /** `.library-row` elements in the DOM. */
  readonly inDom: number
  /** Of those, the ones at least partly inside the grid's viewport (below its sticky header). */
  readonly visible: number
  /** The grid's aria-rowcount less the header row: how many rows the list has. */
  readonly listed: number
  readonly scrollTop: number
}

/**
 * page.evaluate: scrolls the grid to `where` (0 = top, 0.5 = middle, 1 = end), waits until the rows in the DOM
 * stop changing for two frames, then counts them.
 */
export function scrollAndCountRows(args: { readonly where: number; readonly timeoutMs: number }): Promise<RowCount> {
  const g = globalThis as unknown as PageWindow
  const grid = g.document.querySelector('#library-grid')
  if (grid === null) return Promise.reject(new Error('no #library-grid in the page'))
  const count = (): RowCount => {
    const head = grid.querySelector('.grid-head')
    const box = grid.getBoundingClientRect()
    const top = head === null ? box.top : head.getBoundingClientRect().bottom
    const bottom = box.top + grid.clientTop + grid.clientHeight
    const rows = grid.querySelectorAll('.library-row')
    let visible = 0
    for (let i = 0; i < rows.length; i++) {
      const rect = rows[i]?.getBoundingClientRect()
      if (rect !== undefined && rect.bottom > top && rect.top < bottom) visible++
    }
    return { inDom: rows.length, visible, listed: Number(grid.getAttribute('aria-rowcount') ?? '1') - 1, scrollTop: grid.scrollTop }
  }
  grid.scrollTop = Math.round((grid.scrollHeight - grid.clientHeight) * args.where)
  return new Promise((resolve, reject) => {
    const started = g.performance.now()
    let previous = ''
    let same = 0
    const frame = (): void => {
      const figures = count()
      const key = `${figures.inDom}/${figures.visible}/${figures.scrollTop}`
      same = key === previous ? same + 1 : 0
      previous = key
      if (same >= 2 && figures.visible > 0) return resolve(figures)
      if (g.performance.now() - started > args.timeoutMs) return reject(new Error(`the rows did not settle within ${args.timeoutMs} ms`))
      g.requestAnimationFrame(frame)
    }
    g.requestAnimationFrame(frame)
  })
}

/** page.evaluate: arms the recorder for the next keystroke. */
export function armKeystroke(expectChange: boolean): void {
  const recorder = (globalThis as unknown as PageWindow).__larderBench
  if (recorder === undefined) throw new Error('the bench recorder is not in the page')
  recorder.armKeystroke(expectChange)
}

/** page.evaluate: the armed keystroke's timing once its frame is done, and the long tasks so far. */
export function readKeystroke(timeoutMs: number): Promise<{ timing: KeystrokeTiming; longTasks: LongTask[] }> {
  const recorder = (globalThis as unknown as PageWindow).__larderBench
  if (recorder === undefined) return Promise.reject(new Error('the bench recorder is not in the page'))
  return recorder.keystroke(timeoutMs).then((timing) => ({ timing, longTasks: recorder.longTasks.slice() }))
}
