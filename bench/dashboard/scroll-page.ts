// The in-page half of the scroll measurement (bench/dashboard/measure-scroll.ts is the Node half). Functions
// handed to page.evaluate, so each is self-contained: Playwright sends its source text, nothing outside it exists
// in the page. This project's Node tsconfig has no DOM types, so the little of the DOM used is described here.

interface ScrollElement {
  readonly scrollTop: number
  readonly scrollHeight: number
  readonly clientHeight: number
  closest(selector: string): ScrollElement | null
}

interface ScrollWindow {
  readonly document: {
    querySelector(selector: string): ScrollElement | null
    addEventListener(type: string, listener: (event: { readonly timeStamp: number; readonly target: ScrollElement | null }) => void, options: { capture: boolean; passive?: boolean }): void
    removeEventListener(type: string, listener: (event: { readonly timeStamp: number; readonly target: ScrollElement | null }) => void, options: { capture: boolean }): void
  }
  readonly performance: { now(): number }
  requestAnimationFrame(callback: () => void): number
  setTimeout(callback: () => void, ms: number): number
  readonly MessageChannel: new () => {
    readonly port1: { onmessage: (() => void) | null }
    readonly port2: { postMessage(message: null): void }
  }
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: object, options: { childList: boolean; subtree: boolean; attributes: boolean; characterData: boolean }): void
    disconnect(): void
  }
  __larderScroll?: Promise<ScrollTiming>
}

export interface ScrollTiming {
  /** The input's event.timeStamp (the key or the wheel, on the grid). */
  readonly inputAt: number
  /** When the rows' DOM first and last changed for this input. */
  readonly firstMutationAt: number
  readonly lastMutationAt: number
  /** The end of the first frame painted after the last change: the page is on screen. */
  readonly settledAt: number
  /** Longest time between two painted frames from the input until settled (the input itself counts as the first). */
  readonly longestFrameMs: number
  /** Frames painted from the input until settled. */
  readonly frames: number
  /** The grid's scroll position before and after. */
  readonly scrolledFrom: number
  readonly scrolledTo: number
}

/**
 * page.evaluate, before the input: watches the next key or wheel event on the grid, the rows' DOM, and every
 * frame until the rows have not changed, nor the scroll position, for two painted frames. The result is read with
 * readScroll.
 */
export function armScroll(args: { readonly timeoutMs: number }): void {
  const g = globalThis as unknown as ScrollWindow
  const grid = g.document.querySelector('#library-grid')
  const body = g.document.querySelector('#library-grid .grid-body')
  if (grid === null || body === null) throw new Error('no #library-grid .grid-body in the page')
  const now = (): number => g.performance.now()
  const scrolledFrom = grid.scrollTop
  g.__larderScroll = new Promise<ScrollTiming>((resolve, reject) => {
    let inputAt: number | null = null
    let firstMutationAt: number | null = null
    let lastMutationAt: number | null = null
    let lastPaintedAt: number | null = null
    let longestFrameMs = 0
    let frames = 0
    let quiet = 0
    let lastTop = grid.scrollTop
    let settledAt: number | null = null
    const onInput = (event: { readonly timeStamp: number; readonly target: ScrollElement | null }): void => {
      if (inputAt !== null || event.target === null || event.target.closest('#library-grid') === null) return
      inputAt = event.timeStamp
      lastPaintedAt = event.timeStamp
    }
    const options = { capture: true, passive: true }
    g.document.addEventListener('keydown', onInput, options)
    g.document.addEventListener('wheel', onInput, options)
    const observer = new g.MutationObserver(() => {
      const at = now()
      firstMutationAt ??= at
      lastMutationAt = at
      quiet = 0
    })
    observer.observe(body, { childList: true, subtree: true, attributes: true, characterData: true })
    const started = now()
    const finish = (result: ScrollTiming | Error): void => {
      observer.disconnect()
      g.document.removeEventListener('keydown', onInput, options)
      g.document.removeEventListener('wheel', onInput, options)
      if (result instanceof Error) reject(result)
      else resolve(result)
    }
    const frame = (): void => {
      const channel = new g.MessageChannel()
      channel.port1.onmessage = () => {
        const paintedAt = now()
        if (inputAt !== null && lastPaintedAt !== null) {
          longestFrameMs = Math.max(longestFrameMs, paintedAt - lastPaintedAt)
          lastPaintedAt = paintedAt
          frames += 1
        }
        const top = grid.scrollTop
        quiet = top === lastTop && lastMutationAt !== null && lastMutationAt < paintedAt ? quiet + 1 : 0
        lastTop = top
        if (inputAt !== null && firstMutationAt !== null && lastMutationAt !== null && quiet >= 2) {
          // settledAt: the first frame painted after the last change (two frames ago, both quiet since).
          finish({ inputAt, firstMutationAt, lastMutationAt, settledAt: settledAt ?? paintedAt, longestFrameMs, frames, scrolledFrom, scrolledTo: top })
          return
        }
        if (quiet === 1) settledAt = paintedAt
        if (now() - started > args.timeoutMs) {
          finish(new Error(inputAt === null ? 'no key or wheel event reached the grid' : 'the rows did not change or did not settle'))
          return
        }
        g.requestAnimationFrame(frame)
      }
      channel.port2.postMessage(null)
    }
    g.requestAnimationFrame(frame)
  })
}

/** page.evaluate: the armed scroll's timing once it has settled. */
export function readScroll(): Promise<ScrollTiming> {
  const pending = (globalThis as unknown as ScrollWindow).__larderScroll
  if (pending === undefined) return Promise.reject(new Error('no scroll armed'))
  return pending
}

/** page.evaluate: how many rows one page is (what Page Down moves), whether the grid can scroll further down. */
export function gridPage(args: { readonly rowHeight: number; readonly headerHeight: number }): { readonly rowsPerPage: number; readonly pagePx: number; readonly canScrollDown: boolean; readonly scrollTop: number } {
  const g = globalThis as unknown as ScrollWindow
  const grid = g.document.querySelector('#library-grid')
  if (grid === null) throw new Error('no #library-grid in the page')
  const pagePx = grid.clientHeight - args.headerHeight
  return { rowsPerPage: Math.max(1, Math.floor(pagePx / args.rowHeight)), pagePx, canScrollDown: grid.scrollTop + grid.clientHeight < grid.scrollHeight - 1, scrollTop: grid.scrollTop }
}
