// @vitest-environment happy-dom
// The keyboard (issue 19, item 15): "?" outside a field opens a dialog listing every shortcut, from the one table the
// key handlers read too, so the list cannot drift; Escape closes it and the focus goes back where it was. "↓" in the
// search box moves into the results, selecting the first match. The hint under the list links to the overlay.
import fs from 'node:fs'
import path from 'node:path'
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import { keyLabel, SHORTCUTS } from '../../../src/renderer/src/features/shortcuts/shortcuts.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore, type AppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { page, render, settle, type Rendered } from './render.ts'
import { focused, press, type } from './typing.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

/** The whole App, loaded at run time by a path the Node type check does not follow (tsconfig.node.json has no JSX). */
async function app(): Promise<() => unknown> {
  const source: string = '../../../src/renderer/src/App.tsx'
  const loaded = (await import(/* @vite-ignore */ source)) as { App: () => unknown }
  return loaded.App
}

async function showApp(): Promise<{ store: AppStore; view: Rendered }> {
  const bridge = new FakeBridge()
  bridge.libraries = [
    library({ id: 'nord', name: 'Brasserie Nord' }),
    library({ id: 'zuid', name: 'Café Zuid' }),
    library({ id: 'oost', name: 'Trattoria Oost', status: 'needs_reauth' })
  ]
  bridge.answers['audit.page'] = () => ({ ok: true, value: { entries: [], nextBefore: null } })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  await settle()
  shown = await render(store, await app())
  return { store, view: shown }
}

const overlay = (view: Rendered): HTMLElement | undefined => view.all('dialog').find((dialog) => dialog.getAttribute('aria-labelledby') !== null && dialog.textContent.includes('Keyboard shortcuts'))
const search = (view: Rendered): HTMLElement => view.all('input[type="search"]')[0] ?? (() => { throw new Error('no search box') })()
const grid = (view: Rendered): HTMLElement => view.all('[role="grid"]')[0] ?? (() => { throw new Error('no grid') })()

describe('the shortcuts overlay', () => {
  it('"?" outside a field opens it, listing every shortcut of the table; Escape closes it and the focus goes back', async () => {
    const { view } = await showApp()
    grid(view).focus()
    await press(grid(view), '?', { shiftKey: true })
    const dialog = overlay(view)
    if (!dialog) throw new Error(`no shortcuts overlay in: ${view.root.textContent}`)
    expect(dialog.hasAttribute('open')).toBe(true)
    const rows = [...dialog.querySelectorAll('tbody tr')].map((row) => row.textContent.replace(/\s+/g, ' ').trim())
    expect(rows).toEqual(SHORTCUTS.map((shortcut) => expect.stringContaining(shortcut.does)))
    for (const shortcut of SHORTCUTS) expect(dialog.textContent).toContain(keyLabel(shortcut.keys[0] ?? ''))

    dialog.dispatchEvent(new Event('cancel', { cancelable: true }) as never)
    await settle()
    expect(overlay(view)).toBeUndefined()
    expect(focused()).toBe(grid(view))
  })

  it('"?" typed in a field is only a character', async () => {
    const { view } = await showApp()
    search(view).focus()
    await press(search(view), '?', { shiftKey: true })
    expect(overlay(view)).toBeUndefined()
  })

  it('the hint under the list links to it', async () => {
    const { view } = await showApp()
    const hint = view.all('#grid-keys')[0]
    expect(hint?.textContent).toMatch(/↑ ↓ select · Enter details · C copy token · R refresh now · \/ search · \? all shortcuts/)
    await view.click(view.button('? all shortcuts'))
    expect(overlay(view)).toBeDefined()
  })
})

describe('the search box', () => {
  it('"↓" moves into the results: the grid has the focus and the first match is selected', async () => {
    const { store, view } = await showApp()
    await type(search(view), 'a')
    search(view).focus()
    await press(search(view), 'ArrowDown')
    expect(focused()).toBe(grid(view))
    const first = view.all('.library-row')[0]
    expect(store.getState().selectedId).toBe(first?.getAttribute('data-id'))
    expect(grid(view).getAttribute('aria-activedescendant')).toBe(first?.id)
    // The next ↓ is the list's own: the second match.
    await press(grid(view), 'ArrowDown')
    expect(store.getState().selectedId).toBe(view.all('.library-row')[1]?.getAttribute('data-id'))
  })
})

describe('one table for every key handler', () => {
  const root = path.resolve('src/renderer/src')
  const sources = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name)
      return entry.isDirectory() ? sources(full) : /\.tsx?$/.test(entry.name) ? [full] : []
    })
  const table = path.join(root, 'features/shortcuts/shortcuts.ts')

  it('no handler reads a key itself: each asks the table', () => {
    const reading = sources(root)
      .filter((file) => file !== table)
      // Key handlers here take `event`; a sort key (`sort.key`) is not a key press.
      .filter((file) => /\bevent\.(?:key|code|keyCode)\b|\bkeyCode\b|accessKey/.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file))
    expect(reading).toEqual([])
    const handling = sources(root).filter((file) => /onKeyDown|onKeyUp|'keydown'|'keyup'|'keypress'/.test(fs.readFileSync(file, 'utf8')))
    expect(handling.length).toBeGreaterThan(0)
    expect(handling.filter((file) => !fs.readFileSync(file, 'utf8').includes('shortcutAction(')).map((file) => path.relative(root, file))).toEqual([])
  })

  it("every shortcut the table lists is one Larder's code acts on, or the browser's own", () => {
    const code = sources(root)
      .filter((file) => file !== table)
      .map((file) => fs.readFileSync(file, 'utf8'))
      .join('\n')
    const unused = SHORTCUTS.filter((shortcut) => shortcut.handledBy === 'larder' && !code.includes(`'${shortcut.action}'`)).map((shortcut) => shortcut.action)
    expect(unused).toEqual([])
    expect(page()).toBeDefined()
  })
})
