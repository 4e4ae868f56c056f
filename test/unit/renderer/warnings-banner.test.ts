// @vitest-environment happy-dom
// The warnings banner above the list (issue 19 item 7): a revoked library is not "fine". It is counted and named as
// revoked, in a quiet tone (nothing to do urgently, but it no longer works), and its link filters the list to it.
import { afterEach, describe, expect, it } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function bannerOf(libraries: LibraryView[]): Promise<{ store: AppStore; banner: () => Rendered['root'] }> {
  const bridge = new FakeBridge()
  bridge.libraries = libraries
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('LibrariesView'))
  const banner = (): Rendered['root'] => {
    const found = shown?.all('section[aria-label="Warnings"]')[0]
    if (!found) throw new Error('no warnings banner')
    return found
  }
  return { store, banner }
}

const healthy = (n: number): LibraryView[] => Array.from({ length: n }, () => library({ status: 'healthy' }))

describe('the warnings banner with a revoked library', () => {
  it('does not call a revoked library fine: it counts the working ones and names the revoked one', async () => {
    const { store, banner } = await bannerOf([...healthy(4), library({ id: 'gone', status: 'revoked' })])
    const text = banner().textContent
    expect(text).not.toContain('All 5 libraries are fine')
    expect(text).toContain('4 of 5 libraries are fine')
    // Quiet: not the calm green of "all fine", not the warning or trouble colours either.
    expect(banner().className).toContain('banner-quiet')
    const link = shown!.button('1 revoked')
    expect(link.className).toContain('banner-link-revoked')
    await shown!.click(link)
    expect(store.getState().filter.status).toBe('revoked')
    expect(link.getAttribute('aria-pressed')).toBe('true')
  })

  it('says nothing is fine when every library was revoked', async () => {
    const { banner } = await bannerOf([library({ status: 'revoked' }), library({ status: 'revoked' })])
    expect(banner().textContent).not.toMatch(/fine/)
    expect(shown!.button('2 revoked')).toBeDefined()
  })

  it('lists revoked after the warnings, which keep their tone', async () => {
    const { banner } = await bannerOf([...healthy(2), library({ status: 'expiring_soon' }), library({ status: 'revoked' })])
    expect(shown!.all('.banner-link').map((link) => link.textContent)).toEqual(['1 expiring soon', '1 revoked'])
    expect(banner().className).toContain('banner-warning')
  })

  it('still says all are fine when none is revoked', async () => {
    const { banner } = await bannerOf(healthy(5))
    expect(banner().textContent).toContain('All 5 libraries are fine')
    expect(banner().className).toContain('banner-calm')
  })
})
