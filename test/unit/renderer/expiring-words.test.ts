// @vitest-environment happy-dom
// What the window says "expiring soon" means matches what Larder does (issue 13): a token refreshed on schedule
// stays Healthy; the warning is for a refresh more than the grace late, or one that cannot happen.
import { afterEach, describe, expect, it } from 'vitest'
import { REFRESH_GRACE_MS } from '../../../src/main/core/model.ts'
import { nextStep } from '../../../src/renderer/src/features/detail/next-step.ts'
import { DURATIONS } from '../../../src/renderer/src/features/settings/settings-form.ts'
import { connectStore } from '../../../src/renderer/src/store/connect.ts'
import { createAppStore } from '../../../src/renderer/src/store/create-store.ts'
import { FakeBridge, ManualScheduler } from './fake-bridge.ts'
import { library } from './fixtures.ts'
import { component, render, settle, type Rendered } from './render.ts'

let shown: Rendered | null = null
afterEach(async () => {
  await shown?.unmount()
  shown = null
})

describe('"expiring soon" in words', () => {
  it('the threshold help describes the rule Larder applies, grace included', () => {
    const help = DURATIONS.find((spec) => spec.key === 'expiringSoonMs')?.help ?? ''
    expect(help).toContain(`more than ${REFRESH_GRACE_MS / 60_000} minutes late`)
    expect(help).toContain('A token refreshed on schedule stays Healthy')
  })

  it('the Settings page says when the "Expiring soon" notification comes, not that Larder normally refreshes first', async () => {
    const bridge = new FakeBridge()
    const store = createAppStore(bridge)
    await connectStore(store, bridge, new ManualScheduler()).ready
    shown = await render(store, await component('SettingsView'))
    await settle()
    const text = shown.root.textContent
    expect(text).toContain('A token is close to expiry and its refresh is overdue or cannot happen, or it has expired.')
    expect(text).not.toContain('Larder normally refreshes it first')
  })

  it("the detail's next step for an expiring library asks for a refresh now, not to wait for Larder", () => {
    const step = nextStep(library({ status: 'expiring_soon', name: 'Bistro' }))
    expect(step?.text).toContain('overdue')
    expect(step?.text).not.toContain('refreshes it on its own before it expires')
  })
})
