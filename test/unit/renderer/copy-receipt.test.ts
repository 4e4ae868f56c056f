// @vitest-environment happy-dom
// The detail's copy buttons and receipt (issue 19 item 10): each format shows, beside its button, what it puts on the
// clipboard with the token masked (built by the same templates as main's formatter, so they cannot drift); the
// receipt counts down to when Larder clears the clipboard and then says the token is no longer on it; a receipt
// whose token was since replaced (the library's preview changed) says so and offers to copy the new one.
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { CallName, CallResult, CopyFormat, LibraryView } from '../../../src/shared/contract.ts'
import { COPY_FORMATS } from '../../../src/shared/contract/words.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { formatForCopy } from '../../../src/main/core/export-formats.ts'
import type { LibraryMeta } from '../../../src/main/core/model.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

/** React's act, loaded by a path the Node type check does not follow (see render.ts). */
interface Act {
  act(callback: () => Promise<void> | void): Promise<void>
}
const reactSpecifier = 'react'
const act = async (callback: () => Promise<void> | void): Promise<void> => (await (import(/* @vite-ignore */ reactSpecifier) as Promise<Act>)).act(callback)

let shown: Rendered | null = null
afterEach(async () => {
  vi.useRealTimers()
  await shown?.unmount()
  shown = null
})

interface Detail {
  readonly bridge: FakeBridge
  readonly scheduler: ManualScheduler
  readonly receipt: () => string
  /** Clicks with fake timers installed: lets the bridge's answer arrive without waiting on a timer. */
  press(name: string): Promise<void>
  /** Moves the fake clock, letting React apply what the timers set. */
  pass(ms: number): Promise<void>
  /** The masked text shown beside a copy button, found through its aria-describedby. */
  preview(buttonName: string): string
}

async function detailOf(shownLibrary: LibraryView): Promise<Detail> {
  const bridge = new FakeBridge()
  bridge.libraries = [shownLibrary]
  bridge.answers['audit.page'] = () => ok({ entries: [], nextBefore: null })
  bridge.answers['libraries.copy'] = (input) =>
    ok({ libraryId: shownLibrary.id, format: (input as { format: CopyFormat }).format, preview: bridge.libraries[0]?.tokenPreview ?? '', clearsAt: Date.now() + 30_000 })
  const store = createAppStore(bridge)
  const scheduler = new ManualScheduler()
  await connectStore(store, bridge, scheduler).ready
  shown = await render(store, await component('LibrariesView'))
  store.getState().select(shownLibrary.id)
  await settle()
  vi.useFakeTimers({ now: Date.now() })
  const rendered = shown
  return {
    bridge,
    scheduler,
    receipt: () => rendered.all('.receipt').map((element) => element.textContent.replace(/\s+/g, ' ').trim()).join(' | '),
    async press(name) {
      const button = rendered.button(name)
      await act(async () => {
        button.click()
        await vi.advanceTimersByTimeAsync(0)
      })
    },
    async pass(ms) {
      await act(async () => {
        await vi.advanceTimersByTimeAsync(ms)
      })
    },
    preview(buttonName) {
      const id = rendered.button(buttonName).getAttribute('aria-describedby') ?? ''
      const described = rendered.all(`[id="${id}"]`)[0]
      if (id === '' || !described) throw new Error(`"${buttonName}" describes nothing`)
      return described.textContent
    }
  }
}

describe('the copy receipt', () => {
  it('counts down to when Larder clears the clipboard, then says the token is no longer on it', async () => {
    const d = await detailOf(library({ id: 'nord', name: 'Nord', tokenPreview: '…a91f' }))
    await d.press('Copy token')
    expect(d.receipt()).toMatch(/^✓ token …a91f copied · clears in 30 s/)
    await d.pass(10_000)
    expect(d.receipt()).toMatch(/copied · clears in 20 s/)
    await d.pass(19_000)
    expect(d.receipt()).toMatch(/copied · clears in 1 s/)
    await d.pass(1_500)
    expect(d.receipt()).toMatch(/^✓ token …a91f copied · no longer on the clipboard/)
    expect(d.receipt()).not.toContain('cleared')
  })

  it('says nothing will clear when Larder does not clear the clipboard', async () => {
    const d = await detailOf(library({ id: 'nord', tokenPreview: '…a91f' }))
    d.bridge.answers['libraries.copy'] = () => ok({ libraryId: 'nord', format: 'token', preview: '…a91f', clearsAt: null })
    await d.press('Copy token')
    expect(d.receipt()).toMatch(/^✓ token …a91f copied$/)
    await d.pass(60_000)
    expect(d.receipt()).toMatch(/^✓ token …a91f copied$/)
  })

  it('after a refresh replaced the token: says the copied token was replaced and offers to copy the new one', async () => {
    const before = library({ id: 'nord', name: 'Nord', tokenPreview: '…a91f' })
    const d = await detailOf(before)
    await d.press('Copy header')
    expect(d.receipt()).toMatch(/^✓ header …a91f copied · clears in 30 s/)

    const after = { ...before, tokenPreview: '…b7c2', lastRefreshedAt: Date.now() }
    d.bridge.libraries = [after]
    await act(() => {
      d.bridge.emit('library.changed', listViewOf(after))
      d.scheduler.run()
    })
    const text = d.receipt()
    expect(text).not.toContain('…a91f copied')
    expect(text).toContain("The header you copied (…a91f) was replaced: Nord's token now ends …b7c2.")
    // The old token may still be on the clipboard until Larder clears it.
    expect(text).toMatch(/clears in \d+ s/)

    await d.press('Copy the new header')
    expect(d.bridge.inputsOf('libraries.copy')).toEqual([
      { id: 'nord', format: 'header' },
      { id: 'nord', format: 'header' }
    ])
    expect(d.receipt()).toMatch(/^✓ header …b7c2 copied · clears in 30 s/)
  })

  it('a copy that refreshed first is not taken for a replaced token', async () => {
    const before = library({ id: 'nord', tokenPreview: '…a91f' })
    const d = await detailOf(before)
    // The copy refreshed the token first: the receipt names the new token before the view's change arrives.
    d.bridge.answers['libraries.copy'] = () => ok({ libraryId: 'nord', format: 'token', preview: '…c3d4', clearsAt: Date.now() + 30_000 })
    await d.press('Copy token')
    const after = { ...before, tokenPreview: '…c3d4' }
    d.bridge.libraries = [after]
    await act(() => {
      d.bridge.emit('library.changed', listViewOf(after))
      d.scheduler.run()
    })
    expect(d.receipt()).toMatch(/^✓ token …c3d4 copied · clears in 30 s/)
  })
})

describe('the copy formats', () => {
  const shownLibrary = library({ id: 'nord', tokenPreview: '…a91f', apiBaseUrl: 'https://api.apicbase.com', apicbaseLibraryId: '1001' })

  it('show beside each button what it puts on the clipboard, with the token masked', async () => {
    const d = await detailOf(shownLibrary)
    expect(d.preview('Copy token')).toBe('…a91f')
    expect(d.preview('Copy header')).toBe('Authorization: Bearer …a91f')
    expect(d.preview('Copy env')).toBe(
      'export APICBASE_ACCESS_TOKEN=…a91f\nexport APICBASE_API_URL=https://api.apicbase.com\nexport APICBASE_LIBRARY_ID=1001'
    )
    expect(d.preview('Copy curl')).toBe("curl -sS -H 'Authorization: Bearer …a91f' https://api.apicbase.com/api/v2/library/recipes/")
  })

  it("match main's formatter exactly, the token aside", async () => {
    const d = await detailOf(shownLibrary)
    const token = 'Zx9-Qw8_Er7.Ty6a91f'
    const meta = { apiBaseUrl: shownLibrary.apiBaseUrl, apicbaseLibraryId: shownLibrary.apicbaseLibraryId } as LibraryMeta
    const names: Record<CopyFormat, string> = { token: 'Copy token', header: 'Copy header', env: 'Copy env', curl: 'Copy curl' }
    for (const format of COPY_FORMATS) {
      expect(d.preview(names[format])).toBe(formatForCopy(format, token, meta).replaceAll(token, '…a91f'))
    }
  })
})
