// The library list as rows (issue 18, start-up): 'libraries.list' and 'library.changed' carry each library's list
// row only, 'libraries.get' its whole view. The row is the same text whether the main side builds it from the record
// or cuts it from the whole view (the page's store must end exactly the main side's rows), and it carries none of
// the whole view's other fields.
import { afterEach, describe, expect, it } from 'vitest'
import { libraryListViewSchema, libraryViewSchema } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { toLibraryListView, toLibraryView } from '../../../src/main/app/views.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'
import { connectWithEntries } from '../personal/personal-fixtures.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

/** Fields the whole view has and the row must not. */
const WHOLE_ONLY = ['scopes', 'apiBaseUrl', 'apiHost', 'apiHostKind', 'issuedAt', 'tokenPreview', 'lastError', 'rateLimit', 'health']

describe('the list as rows', () => {
  it('lists rows, each the same JSON as the whole view cut down, for records and personal entries alike', async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Rows' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
    await h.actions.add({ tokenType, name: 'Bistro Rows', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    await connectWithEntries(h)
    const listed = await h.handlers['libraries.list']({})
    if (!listed.ok) throw new Error('list failed')
    expect(listed.value.length).toBe(h.core.libraries.list().length)
    expect(listed.value.some((row) => row.personal?.role === 'library')).toBe(true)
    for (const row of listed.value) {
      libraryListViewSchema.parse(row)
      for (const field of WHOLE_ONLY) expect(row).not.toHaveProperty(field)
      const record = h.core.libraries.get(row.id)
      expect(JSON.stringify(row)).toBe(JSON.stringify(toLibraryListView(record)))
      expect(JSON.stringify(listViewOf(toLibraryView(record)))).toBe(JSON.stringify(row))
    }
  })

  it("answers one library's whole view with libraries.get, and refuses an unknown id", async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Whole' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
    const added = await h.actions.add({ tokenType, name: 'Bistro Whole', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    const whole = await h.handlers['libraries.get']({ id: added.id })
    if (!whole.ok) throw new Error('get failed')
    expect(libraryViewSchema.parse(whole.value)).toEqual(toLibraryView(h.core.libraries.get(added.id)))
    expect(whole.value.tokenPreview).toMatch(/^…/)
    expect(JSON.stringify(whole.value)).not.toContain(accessToken)
    expect(await h.handlers['libraries.get']({ id: 'no-such-library' })).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'id' } })
  })

  it("sends a change as the library's row: 'library.changed' carries no field of the whole view", async () => {
    h = await startLarder()
    const credentials = h.sandbox.addLibraryWithApplication({ name: 'Bistro Events' })
    const { tokenType, clientId, clientSecret, accessToken, refreshToken } = credentials
    const added = await h.actions.add({ tokenType, name: 'Bistro Events', clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url })
    await h.nextTurn()
    h.events.clear()
    await h.actions.refresh(added.id)
    await h.nextTurn()
    const changed = h.events.of('library.changed').filter((row) => row.id === added.id)
    expect(changed.length).toBeGreaterThan(0)
    for (const row of changed) for (const field of WHOLE_ONLY) expect(row).not.toHaveProperty(field)
    expect(JSON.stringify(changed.at(-1))).toBe(JSON.stringify(toLibraryListView(h.core.libraries.get(added.id))))
  })
})
