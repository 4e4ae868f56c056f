// Keeps track of which rows of a fixed-row-height list are in view. Re-renders only when that range moves.
import { useLayoutEffect, useMemo, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import { rangeOf, sameViewportRows, viewportRows, type RowRange, type ViewportRows } from './visible-range.ts'

export interface VirtualRowsOptions {
  readonly count: number
  readonly rowHeight: number
  /** Height of a sticky header inside the scrolling element, which hides that much of the viewport. */
  readonly headerHeight: number
  readonly overscan: number
}


export function useVirtualRows(ref: RefObject<HTMLElement | null>, { count, rowHeight, headerHeight, overscan }: VirtualRowsOptions): RowRange {
  // What the viewport covers is learnt from scroll and resize events only. A list that changes length (each
  // keystroke in the search box) works its range out from that, without reading the scroll position or the size,
  // which would make the browser lay the page out there and then, in the middle of handling the key.
  // Until the list has been measured (in the layout effect, before the first paint), no more rows than the overscan:
  // a guess larger than the list turns out to be is rows made and thrown away before anyone saw them.
  const [rows, setRows] = useState<ViewportRows>(() => viewportRows(0, 0, rowHeight))
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = (): void => {
      const next = viewportRows(element.scrollTop, element.clientHeight - headerHeight, rowHeight)
      setRows((previous) => (sameViewportRows(previous, next) ? previous : next))
    }
    // Scrolled or resized: the rows for the new position are rendered at once, inside the frame that shows the
    // position (scroll events and resize observations run as part of it), not in a task after it; otherwise
    // that frame shows the list scrolled past its rows, blank below the overscan.
    const follow = (): void => flushSync(measure)
    measure()
    element.addEventListener('scroll', follow, { passive: true })
    const observer = new ResizeObserver(follow)
    observer.observe(element)
    return () => {
      element.removeEventListener('scroll', follow)
      observer.disconnect()
    }
  }, [ref, rowHeight, headerHeight])
  return useMemo(() => rangeOf(rows, count, overscan), [rows, count, overscan])
}
