// Which rows of a fixed-row-height list are on screen. Pure, so it is tested without a DOM.

export interface RangeInput {
  /** How far the rows are scrolled, in px, from the top of the first row. */
  readonly scrollTop: number
  /** The height of the window onto the rows, in px. */
  readonly viewportHeight: number
  readonly rowHeight: number
  readonly count: number
  /** Rows rendered beyond each edge, so a fast scroll does not show blank space for a frame. */
  readonly overscan: number
}

/** Rows `start` (inclusive) to `end` (exclusive). Empty (start === end) when there is nothing to show. */
export interface RowRange {
  readonly start: number
  readonly end: number
}

/**
 * The rows a viewport covers, whatever the list holds: from row `first` (perhaps only partly in view) up to `end`
 * (exclusive). With the list's length and the overscan it gives the range (rangeOf), so a list that changes length
 * needs no new look at the scroll position or the viewport's size.
 */
export interface ViewportRows {
  readonly first: number
  readonly end: number
}

export function viewportRows(scrollTop: number, viewportHeight: number, rowHeight: number): ViewportRows {
  if (rowHeight <= 0) return { first: 0, end: 0 }
  const top = Math.max(0, Number.isFinite(scrollTop) ? scrollTop : 0)
  const height = Math.max(0, Number.isFinite(viewportHeight) ? viewportHeight : 0)
  return { first: Math.floor(top / rowHeight), end: Math.ceil((top + height) / rowHeight) }
}

export function sameViewportRows(a: ViewportRows, b: ViewportRows): boolean {
  return a.first === b.first && a.end === b.end
}

/** The rows to render for a list of `count` rows seen through `rows`, `overscan` more at each edge. */
export function rangeOf(rows: ViewportRows, count: number, overscan: number): RowRange {
  if (count <= 0) return { start: 0, end: 0 }
  const pad = Math.max(0, Math.floor(overscan))
  const first = Math.min(count - 1, rows.first)
  const last = Math.min(count, rows.end)
  return { start: Math.max(0, first - pad), end: Math.min(count, Math.max(last, first + 1) + pad) }
}

export function visibleRange({ scrollTop, viewportHeight, rowHeight, count, overscan }: RangeInput): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 }
  return rangeOf(viewportRows(scrollTop, viewportHeight, rowHeight), count, overscan)
}

export function sameRange(a: RowRange, b: RowRange): boolean {
  return a.start === b.start && a.end === b.end
}

/**
 * The scroll position that brings row `index` fully into view, moving as little as possible; the current
 * position when it already is.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight
  const rowBottom = rowTop + rowHeight
  if (rowTop < scrollTop) return rowTop
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight)
  return scrollTop
}

/** How many whole rows fit in the viewport (at least 1): the step for Page Up / Page Down. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight))
}
