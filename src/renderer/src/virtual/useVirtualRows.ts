// Keeps track of which rows of a fixed-row-height list are in view. Re-renders only when that range moves.
import { useLayoutEffect, useState, type RefObject } from 'react'
import { sameRange, visibleRange, type RowRange } from './visible-range.ts'

export interface VirtualRowsOptions {
  readonly count: number
  readonly rowHeight: number
  /** Height of a sticky header inside the scrolling element, which hides that much of the viewport. */
  readonly headerHeight: number
  readonly overscan: number
}

export function useVirtualRows(ref: RefObject<HTMLElement | null>, { count, rowHeight, headerHeight, overscan }: VirtualRowsOptions): RowRange {
  const [range, setRange] = useState<RowRange>(() => visibleRange({ scrollTop: 0, viewportHeight: 1200, rowHeight, count, overscan }))
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const measure = (): void => {
      const next = visibleRange({
        scrollTop: element.scrollTop,
        viewportHeight: element.clientHeight - headerHeight,
        rowHeight,
        count,
        overscan
      })
      setRange((previous) => (sameRange(previous, next) ? previous : next))
    }
    measure()
    element.addEventListener('scroll', measure, { passive: true })
    const observer = new ResizeObserver(measure)
    observer.observe(element)
    return () => {
      element.removeEventListener('scroll', measure)
      observer.disconnect()
    }
  }, [ref, count, rowHeight, headerHeight, overscan])
  return range
}
