// A click on a desktop notification opens what it is about in the window (issue 15): a key's notice names the key's
// id, which the host hands to the app's navigate, as for a library's. The window is told which it is: 'navigate.key'
// for a key of another system, 'navigate.library' for a library, so it opens the right pane.
import { describe, expect, it } from 'vitest'
import type { NotifierPort } from '../../../src/main/app/desktop-feed.ts'
import { NotificationPolicy, type Notice } from '../../../src/main/core/desktop/notification-policy.ts'
import { keysWorlds } from '../../support/keys-world.ts'

const DAY = 86_400_000

const startWorld = keysWorlds()

/** The notices the desktop would show, and what a click on one hands the host (electron/notifications.ts). */
function recordingNotifier(now: () => number): { notifier: NotifierPort; notices: Notice[]; clicked: (notice: Notice) => string | null } {
  const policy = new NotificationPolicy({ now, toggles: { expiring: true, failed: true, needsReauth: true } })
  const notices: Notice[] = []
  return {
    notices,
    clicked: (notice) => (notice.type === 'digest' ? null : notice.libraryId),
    notifier: {
      observe: (libraries) => void notices.push(...policy.observe(libraries)),
      forget: (id) => policy.forget(id),
      configure: (toggles) => void notices.push(...policy.configure(toggles)),
      dispose: () => undefined
    }
  }
}

describe("a key's notification, clicked", () => {
  it("asks the window to open the key's pane with 'navigate.key', and a library's still with 'navigate.library'", async () => {
    let clockNow = (): number => 0
    const desktop = recordingNotifier(() => clockNow())
    const { h, fakes } = await startWorld({ ports: { notifier: desktop.notifier } })
    clockNow = () => h.clock.now()
    const org = fakes.safetyCulture.addOrganisation({ name: 'Grill Haven Group' })
    const user = fakes.safetyCulture.addUser({ organisationId: org.id, firstname: 'Pat' })
    const added = await h.handlers['keys.add']({
      system: 'safetyculture',
      name: 'Grill Haven inspections',
      token: fakes.safetyCulture.issueUserToken(user.id).value,
      details: { kind: 'user', organisation: 'Grill Haven Group', owner: 'Pat', apiBaseUrl: fakes.safetyCulture.url }
    })
    if (!added.ok) throw new Error(added.error.message)
    const key = added.value
    await h.advance(23 * DAY + 2_000)
    const notice = desktop.notices.find((shown) => shown.type === 'library' && shown.libraryId === key.id)
    expect(notice, 'a notice about the key').toBeDefined()

    // What the host does with the click: reveal the window, then navigate to the id the notice names.
    h.app.navigate(desktop.clicked(notice!)!)
    expect(h.events.of('navigate.key')).toEqual([{ id: key.id }])
    expect(h.events.of('navigate.library')).toEqual([])

    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Brasserie Nord' })
    const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
    const library = await h.handlers['libraries.add']({ tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    if (!library.ok) throw new Error(library.error.message)
    h.app.navigate(library.value.id)
    expect(h.events.of('navigate.library')).toEqual([{ id: library.value.id }])
    expect(h.events.of('navigate.key')).toEqual([{ id: key.id }])
  })
})
