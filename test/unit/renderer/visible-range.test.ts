import { describe, expect, it } from 'vitest'
import { rowsPerPage, scrollToReveal, visibleRange } from '../../../src/renderer/src/virtual/visible-range.ts'

const base = { rowHeight: 34, overscan: 0 }

describe('visibleRange', () => {
  it('shows the rows that fit at the top', () => {
    expect(visibleRange({ ...base, scrollTop: 0, viewportHeight: 340, count: 5000 })).toEqual({ start: 0, end: 10 })
  })

  it('includes a row that is only partly in view at either edge', () => {
    // 17 px into row 0, and the bottom edge at 357 px cuts into row 10.
    expect(visibleRange({ ...base, scrollTop: 17, viewportHeight: 340, count: 5000 })).toEqual({ start: 0, end: 11 })
  })

  it('follows the scroll position deep into a long list', () => {
    expect(visibleRange({ ...base, scrollTop: 34 * 2500, viewportHeight: 680, count: 5000 })).toEqual({ start: 2500, end: 2520 })
  })

  it('adds the overscan on both sides, clamped to the list', () => {
    expect(visibleRange({ ...base, overscan: 5, scrollTop: 34 * 100, viewportHeight: 340, count: 5000 })).toEqual({ start: 95, end: 115 })
    expect(visibleRange({ ...base, overscan: 5, scrollTop: 0, viewportHeight: 340, count: 5000 })).toEqual({ start: 0, end: 15 })
    expect(visibleRange({ ...base, overscan: 5, scrollTop: 34 * 4995, viewportHeight: 340, count: 5000 })).toEqual({ start: 4990, end: 5000 })
  })

  it('never renders more than the list has', () => {
    expect(visibleRange({ ...base, scrollTop: 0, viewportHeight: 2000, count: 3 })).toEqual({ start: 0, end: 3 })
  })

  it('copes with a scroll position past the end (the list just shrank)', () => {
    const range = visibleRange({ ...base, overscan: 2, scrollTop: 34 * 4000, viewportHeight: 340, count: 10 })
    expect(range.start).toBeGreaterThanOrEqual(0)
    expect(range.end).toBe(10)
    expect(range.start).toBeLessThan(range.end)
  })

  it('is empty for an empty list and safe with odd input', () => {
    expect(visibleRange({ ...base, scrollTop: 0, viewportHeight: 340, count: 0 })).toEqual({ start: 0, end: 0 })
    expect(visibleRange({ ...base, scrollTop: -50, viewportHeight: 340, count: 100 })).toEqual({ start: 0, end: 10 })
    expect(visibleRange({ ...base, scrollTop: Number.NaN, viewportHeight: 340, count: 100 })).toEqual({ start: 0, end: 10 })
    expect(visibleRange({ ...base, scrollTop: 0, viewportHeight: 0, count: 100 })).toEqual({ start: 0, end: 1 })
    expect(visibleRange({ rowHeight: 0, overscan: 0, scrollTop: 0, viewportHeight: 100, count: 100 })).toEqual({ start: 0, end: 0 })
  })

  it('keeps the number of rendered rows small however long the list is', () => {
    for (const count of [10, 1000, 5000, 100_000]) {
      for (const scrollTop of [0, 1234, 34 * 4000]) {
        const { start, end } = visibleRange({ rowHeight: 34, overscan: 12, scrollTop, viewportHeight: 800, count })
        expect(end - start).toBeLessThanOrEqual(Math.ceil(800 / 34) + 1 + 24)
      }
    }
  })
})

describe('scrollToReveal', () => {
  it('leaves the position alone when the row is fully in view', () => {
    expect(scrollToReveal(5, 0, 340, 34)).toBe(0)
  })
  it('scrolls up just enough to show a row above', () => {
    expect(scrollToReveal(3, 340, 340, 34)).toBe(102)
  })
  it('scrolls down just enough to show a row below', () => {
    expect(scrollToReveal(20, 0, 340, 34)).toBe(21 * 34 - 340)
  })
})

describe('rowsPerPage', () => {
  it('counts whole rows, at least one', () => {
    expect(rowsPerPage(340, 34)).toBe(10)
    expect(rowsPerPage(350, 34)).toBe(10)
    expect(rowsPerPage(10, 34)).toBe(1)
  })
})
