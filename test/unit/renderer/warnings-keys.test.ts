// @vitest-environment happy-dom
// The summary above the list tells the truth over libraries and keys of other systems alike (issue 15): one green
// line counting both when every one is fine, and no green "all fine" line while a key needs attention (the key
// warnings name those, under a plain line about the libraries).
import { afterEach, describe, expect, it } from 'vitest'
import type { KeyView, LibraryView } from '../../../src/shared/contract.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { airtableKey, bridgeWithKeys, safetyCultureKey, serviceTokenKey } from './key-fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

async function listOf(libraries: LibraryView[], keys: KeyView[]): Promise<Rendered> {
  const bridge = bridgeWithKeys(keys)
  bridge.libraries = libraries
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await component('LibrariesView'))
  await settle()
  return shown
}

const healthy = (n: number): LibraryView[] => Array.from({ length: n }, () => library({ status: 'healthy' }))
const fineKeys = (n: number): KeyView[] => Array.from({ length: n }, (_, i) => [safetyCultureKey, airtableKey, serviceTokenKey][i % 3]!({ status: 'healthy' }))

/** The green "all fine" lines on the page, wherever they are. */
const calmLines = (view: Rendered): string[] => view.all('.banner-calm-text').map((line) => line.textContent)

describe('the summary over libraries and keys', () => {
  it('counts both in one green line when every library and key is fine', async () => {
    const view = await listOf(healthy(7), fineKeys(7))
    expect(calmLines(view)).toEqual(['✓ All 7 libraries and 7 keys are fine: nothing is expiring soon, expired or failing.'])
    expect(view.all('section.banner-calm')).toHaveLength(1)
    expect(view.all('section[aria-label="Key warnings"]')).toHaveLength(0)
  })

  it.each([
    [1, 3, 'The library and all 3 keys are fine'],
    [5, 1, 'All 5 libraries and the key are fine'],
    [1, 1, 'The library and the key are fine'],
    [0, 3, 'All 3 keys are fine'],
    [0, 1, 'The key is fine']
  ])('%i libraries and %i keys, all fine: "%s"', async (libraries, keys, words) => {
    const view = await listOf(healthy(libraries), fineKeys(keys))
    expect(calmLines(view)).toEqual([`✓ ${words}: nothing is expiring soon, expired or failing.`])
  })

  it('while a key needs attention and no library does: no green line, the libraries said plainly above the key warnings', async () => {
    const keys = [...fineKeys(2), safetyCultureKey({ name: 'Grill Haven audits', status: 'inactive' })]
    const view = await listOf(healthy(5), keys)
    expect(calmLines(view)).toEqual([])
    expect(view.all('section.banner-calm')).toHaveLength(0)
    expect(view.root.textContent).not.toMatch(/nothing is expiring soon, expired or failing/)
    const libraries = view.all('section[aria-label="Warnings"]')
    expect(libraries.map((section) => section.textContent)).toEqual(['All 5 libraries are fine.'])
    const keyWarnings = view.all('section[aria-label="Key warnings"]')
    expect(keyWarnings).toHaveLength(1)
    expect(keyWarnings[0]!.textContent).toContain('1 inactive')
    // The libraries' line comes first, then the keys that want a look.
    const sections = view.all('section.banner').map((section) => section.getAttribute('aria-label'))
    expect(sections).toEqual(['Warnings', 'Key warnings'])
  })

  it('with keys alone and one needing attention: no empty or green banner, only the key warnings', async () => {
    const view = await listOf([], [airtableKey({ status: 'needs_reauth' }), serviceTokenKey({ status: 'healthy' })])
    expect(calmLines(view)).toEqual([])
    expect(view.all('section[aria-label="Warnings"]')).toHaveLength(0)
    expect(view.all('section[aria-label="Key warnings"]')).toHaveLength(1)
  })

  it('counts a revoked key as not fine and names it with the revoked libraries', async () => {
    const keys = [...fineKeys(2), serviceTokenKey({ state: 'revoked', status: 'revoked', actions: ['restore', 'delete'] })]
    const view = await listOf([...healthy(3), library({ status: 'revoked' })], keys)
    expect(calmLines(view)).toEqual(['✓ 3 of 4 libraries and 2 of 3 keys are fine: nothing is expiring soon, expired or failing.'])
    expect(view.all('.banner-link').map((link) => link.textContent)).toEqual(['2 revoked'])
    expect(view.all('section.banner-quiet')).toHaveLength(1)
  })
})
