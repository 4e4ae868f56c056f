// Keeps track of which rows of a fixed-row-height list are in view. Re-renders only when that range moves.
import { useLayoutEffect, useMemo, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'
import { rangeOf, sameViewportRows, viewportRows, type RowRange, type ViewportRows } from './visible-range.ts'

export interface VirtualRowsOptions {
  readonly count: number
  readonly rowHeight: number
  /** Height of a sticky header inside the scrolling element, which hides that much of the viewport. */
  readonly headerHeight: number
  readonly overscan: number
}

/**
 * The viewport the list assumes before it has been measured: the window's height less the header, the most it can
 * show. Reading the window's size lays nothing out, so the first commit already holds the rows; the first resize
 * observation (after that frame's layout, before its paint) trims the few that do not fit.
 */
export function assumedViewportHeight(headerHeight: number): number {
  return typeof window === 'undefined' ? 0 : Math.max(0, window.innerHeight - headerHeight)
}

export function useVirtualRows(ref: RefObject<HTMLElement | null>, { count, rowHeight, headerHeight, overscan }: VirtualRowsOptions): RowRange {
  // What the viewport covers is learnt from resize observations and scroll events only, never by reading the size
  // or the scroll position while React renders or commits: that would make the browser lay the page out there and
  // then (at first paint, the whole page; while typing, in the middle of handling the key).
  const viewportHeight = useRef(-1)
  const [rows, setRows] = useState<ViewportRows>(() => viewportRows(0, assumedViewportHeight(headerHeight), rowHeight))
  // The rows of the last commit, for the resize observer to compare with.
  const rendered = useRef(rows)
  useLayoutEffect(() => {
    rendered.current = rows
  }, [rows])
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const update = (scrollTop: number): void => {
      const height = viewportHeight.current >= 0 ? viewportHeight.current : assumedViewportHeight(headerHeight)
      const next = viewportRows(scrollTop, height, rowHeight)
      setRows((previous) => (sameViewportRows(previous, next) ? previous : next))
    }
    // Scrolled or resized: the rows for the new position are rendered at once, inside the frame that shows the
    // position (scroll events and resize observations run as part of it), not in a task after it; otherwise
    // that frame shows the list scrolled past its rows, blank below the overscan.
    const onScroll = (): void => flushSync(() => update(element.scrollTop))
    // The content box is the viewport onto the rows (the grid has no padding): its height comes with the
    // observation, after layout, so nothing is laid out again to learn it.
    // A viewport smaller than the one assumed (always so at first: the toolbar sits above the list) keeps its extra
    // rows for this frame and loses them in a render after it; only rows missing from view are rendered at once.
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1]
      if (entry === undefined) return
      viewportHeight.current = Math.max(0, entry.contentRect.height - headerHeight)
      const shown = rendered.current
      const next = viewportRows(element.scrollTop, viewportHeight.current, rowHeight)
      if (next.first >= shown.first && next.end <= shown.end) update(element.scrollTop)
      else flushSync(() => update(element.scrollTop))
    })
    element.addEventListener('scroll', onScroll, { passive: true })
    observer.observe(element)
    return () => {
      element.removeEventListener('scroll', onScroll)
      observer.disconnect()
    }
  }, [ref, rowHeight, headerHeight])
  return useMemo(() => rangeOf(rows, count, overscan), [rows, count, overscan])
}
