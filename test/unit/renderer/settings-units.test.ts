// @vitest-environment happy-dom
// Settings in the units a person uses (issue 19 item 13): a 10-minute minimum reads "10 minutes", never "0.17 hours";
// the range in the help and in the error say the same words; a duration may be typed with its unit ("10 min", "2 h",
// "1 d"); and a stored value is shown and saved back exactly, never rounded on the way.
import type { HTMLElement } from 'happy-dom'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallName, CallResult, Settings } from '../../../src/shared/contract.ts'
import { SETTING_RANGES } from '../../../src/shared/setting-ranges.ts'
import { draftFrom, patchFrom } from '../../../src/renderer/src/features/settings/settings-form.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler, SETTINGS } from './fake-bridge.ts'
import { component, render, settle, type Rendered } from './render.ts'

const ok = <N extends CallName>(value: unknown): CallResult<N> => ({ ok: true, value }) as CallResult<N>

const MINUTE = 60_000
const HOUR = 60 * MINUTE

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

function field(view: Rendered, label: string): HTMLElement {
  const found = view.all('label').find((element) => element.textContent.trim() === label)
  const input = view.all('input').find((element) => element.id === found?.getAttribute('for'))
  if (!input) throw new Error(`no field "${label}" in: ${view.root.textContent}`)
  return input
}

function description(view: Rendered, input: HTMLElement): string {
  const ids = (input.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean)
  return ids.map((id) => view.all(`[id="${id}"]`)[0]?.textContent ?? '').join(' ')
}

async function type(input: HTMLElement, value: string): Promise<void> {
  const setter = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(input), 'value')?.set
  if (!setter) throw new Error('not an input')
  setter.call(input, value)
  input.dispatchEvent(new Event('input', { bubbles: true }) as never)
  await settle()
}

async function settingsPage(stored: Settings): Promise<{ view: Rendered; bridge: FakeBridge }> {
  const bridge = new FakeBridge()
  bridge.answers['settings.get'] = () => ok(stored)
  bridge.answers['settings.update'] = (patch) => ok({ ...stored, ...(patch as object) })
  const store = createAppStore(bridge)
  await connectStore(store, bridge, new ManualScheduler()).ready
  shown = await render(store, await component('SettingsView'))
  await settle()
  return { view: shown, bridge }
}

describe('settings in the units a person uses', () => {
  it('says the 10-minute minimum in minutes, in the help and in the error, and takes "5 min" or "2 h"', async () => {
    const { view, bridge } = await settingsPage({ ...SETTINGS, refreshAheadMs: 10 * MINUTE })
    const margin = field(view, 'Refresh margin')
    expect(margin.getAttribute('value') ?? (margin as unknown as { value: string }).value).toBe('10 min')
    expect(description(view, margin)).toContain('From 10 minutes to 144 hours')
    expect(view.root.textContent).not.toMatch(/0\.17/)

    await type(margin, '5 min')
    await view.click(view.button('Save settings'))
    expect(description(view, margin)).toContain('Must be between 10 minutes and 144 hours.')
    expect(view.root.textContent).not.toMatch(/0\.17/)
    expect(bridge.inputsOf('settings.update')).toEqual([])

    await type(margin, '2 h')
    await type(field(view, 'Expiring-soon threshold'), '1 d')
    await view.click(view.button('Save settings'))
    expect(bridge.inputsOf('settings.update')).toEqual([expect.objectContaining({ refreshAheadMs: 2 * HOUR, expiringSoonMs: 24 * HOUR })])
  })

  it('states each range in words: hours for the thresholds, minutes for the copy margin, seconds for the clipboard', async () => {
    const { view } = await settingsPage(SETTINGS)
    expect(description(view, field(view, 'Expiring-soon threshold'))).toContain('From 1 hour to 144 hours')
    expect(description(view, field(view, 'Fresh-copy margin'))).toContain('From 0 minutes to 24 hours')
    expect(description(view, field(view, 'Clipboard clear delay'))).toContain('From 5 seconds to 10 minutes')
  })
})

describe('a stored value is never rounded', () => {
  it('shows odd values exactly and saves them back unchanged', () => {
    const odd: Settings = { ...SETTINGS, expiringSoonMs: 25 * MINUTE + 1_000 + HOUR, refreshAheadMs: 25 * MINUTE, copyFreshnessMarginMs: 90_500, clipboardClearMs: 61_500 }
    const draft = draftFrom(odd)
    expect(draft.durations).toEqual({ expiringSoonMs: '1 h 25 min 1 s', refreshAheadMs: '25 min', copyFreshnessMarginMs: '1 min 30.5 s', clipboardClearMs: '61.5' })
    expect(patchFrom(draft)).toEqual({ patch: { ...odd } })
  })

  it('reads the units people type, and a bare number in the field’s own unit', () => {
    const draft = draftFrom(SETTINGS)
    const read = (key: keyof typeof draft.durations, text: string): unknown => {
      const result = patchFrom({ ...draft, durations: { ...draft.durations, [key]: text } })
      return 'patch' in result ? result.patch[key] : result.errors[key]
    }
    expect(read('refreshAheadMs', '90 min')).toBe(90 * MINUTE)
    expect(read('refreshAheadMs', '1 h 30 min')).toBe(90 * MINUTE)
    expect(read('refreshAheadMs', '1,5')).toBe(90 * MINUTE)
    expect(read('expiringSoonMs', '2 days')).toBe(48 * HOUR)
    expect(read('copyFreshnessMarginMs', '15')).toBe(15 * MINUTE)
    expect(read('clipboardClearMs', '45')).toBe(45_000)
    expect(read('clipboardClearMs', '2 min')).toBe(2 * MINUTE)
    expect(read('clipboardClearMs', '2 weeks')).toBe('Type a length such as 30 s or 2 min; a number alone counts as seconds.')
    expect(read('clipboardClearMs', '11 min')).toBe('Must be between 5 seconds and 10 minutes.')
  })

  it('states the same bounds the vault enforces', () => {
    expect(SETTING_RANGES.refreshAheadMs).toEqual([10 * MINUTE, 144 * HOUR])
  })
})
