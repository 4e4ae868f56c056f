// @vitest-environment happy-dom
// The list's time labels render without the date format: building it takes 40–200 ms the first time in a new page
// (ICU's locale data; measured in Chromium 156, a fresh renderer), which the first render with rows must not pay.
// The exact moment is put in the tooltip when the pointer reaches the label.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HTMLElement } from 'happy-dom'
import { formatExact } from '../../../src/renderer/src/lib/time.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge } from './fake-bridge.ts'
import { page, render, settle } from './render.ts'

type Element = { readonly $$typeof: symbol }
type Labels = {
  TimeLeft(props: { expiresAt: number | null; cell?: string }): unknown
  Ago(props: { at: number | null; what: string; cell?: string }): unknown
}
const load = <T,>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>

afterEach(() => vi.restoreAllMocks())

describe('time labels at the first render', () => {
  it('build no date format while rendering, and show the exact moment once the pointer is on them', async () => {
    const { createElement } = await load<{ createElement(type: unknown, props: object | null, ...children: Element[]): Element }>('react')
    const { TimeLeft, Ago } = await load<Labels>('../../../src/renderer/src/features/common/TimeLabels.tsx')
    const expiresAt = Date.UTC(2030, 0, 2, 3, 4, 5)
    const usedAt = Date.UTC(2026, 5, 6, 7, 8, 9)
    const built = vi.spyOn(Intl, 'DateTimeFormat')
    const view = (): Element => createElement('div', null, createElement(TimeLeft, { expiresAt, cell: 'expiry' }), createElement(Ago, { at: usedAt, what: 'Used', cell: 'used' }))
    const rendered = await render(createAppStore(new FakeBridge()), view)
    const [left, ago] = rendered.all('time')
    expect(left?.textContent).not.toBe('')
    expect(built).not.toHaveBeenCalled()
    expect(left?.getAttribute('title')).toBeNull()
    for (const label of [left, ago]) {
      label?.dispatchEvent(new (page().defaultView as unknown as { PointerEvent: new (type: string, init: object) => Event }).PointerEvent('pointerover', { bubbles: true }) as never)
    }
    await settle()
    expect(left?.getAttribute('title')).toBe(`Expires ${formatExact(expiresAt)}`)
    expect((ago as HTMLElement | undefined)?.getAttribute('title')).toBe(`Used ${formatExact(usedAt)}`)
    await rendered.unmount()
  })
})
