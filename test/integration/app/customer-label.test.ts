// A library's customer label through the bridge (issue 15 item 5: one list groups a customer's libraries and keys):
// 'libraries.add' takes it, 'libraries.update' changes it and the name, the views and the list rows carry it, and the
// 'library.changed' event says it. Every answer and event is checked against the contract by the harness.
import fs from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import type { CallInput } from '../../../src/shared/contract.ts'
import { listViewOf } from '../../../src/shared/library-list-view.ts'
import { startLarder, type LarderHarness } from '../../support/larder-harness.ts'

let h: LarderHarness
afterEach(async () => {
  await h?.close()
})

function pasted(fixture: number, name: string, extra: Partial<CallInput<'libraries.add'>> = {}): CallInput<'libraries.add'> {
  const { tokenType, clientId, clientSecret, accessToken, refreshToken } = h.sandbox.fixtures.libraries[fixture]!
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, apiBaseUrl: h.sandbox.url, ...extra }
}

async function added(fixture: number, name: string, customer?: string): Promise<string> {
  const answer = await h.handlers['libraries.add'](pasted(fixture, name, customer === undefined ? {} : { customer }))
  if (!answer.ok) throw new Error(answer.error.message)
  return answer.value.id
}

describe('a library’s customer label through the bridge', () => {
  it('is taken by libraries.add and carried by the view, the list rows and the change event', async () => {
    h = await startLarder()
    const answer = await h.handlers['libraries.add'](pasted(0, 'Grill Haven Centrum', { customer: ' Grill Haven ' }))
    if (!answer.ok) throw new Error(answer.error.message)
    expect(answer.value.customer).toBe('Grill Haven')
    // The list row a call's whole view is cut down to is the row main builds, byte for byte.
    const listed = await h.handlers['libraries.list']({})
    if (!listed.ok) throw new Error(listed.error.message)
    const row = listed.value.find((library) => library.id === answer.value.id)
    expect(row?.customer).toBe('Grill Haven')
    expect(JSON.stringify(listViewOf(answer.value))).toBe(JSON.stringify(row))
    const first = await h.handlers['libraries.listFirst']({ count: 10, locale: 'en' })
    expect(first.ok && first.value.rows[0]?.customer).toBe('Grill Haven')
    await h.nextTurn()
    expect(h.events.of('library.changed').at(-1)).toMatchObject({ id: answer.value.id, customer: 'Grill Haven' })

    // A library without a label carries none: its row has no `customer` at all (10,000 rows pay nothing for it).
    const plain = await added(1, 'Bistro Nord')
    const rows = await h.handlers['libraries.list']({})
    expect(rows.ok && Object.keys(rows.value.find((library) => library.id === plain)!)).not.toContain('customer')
  })

  it('libraries.update renames and labels a library: the answer, the event and the audit trail say so', async () => {
    h = await startLarder()
    const id = await added(0, 'Grill Haven Centrum')
    await h.nextTurn()
    h.events.clear()
    const answer = await h.handlers['libraries.update']({ id, name: 'Grill Haven West', customer: 'Grill Haven' })
    expect(answer).toMatchObject({ ok: true, value: { id, name: 'Grill Haven West', customer: 'Grill Haven', status: 'healthy' } })
    await h.nextTurn()
    expect(h.events.of('library.changed')).toEqual([expect.objectContaining({ id, name: 'Grill Haven West', customer: 'Grill Haven' })])
    const trail = await h.handlers['audit.page']({ limit: 5, libraryId: id, action: 'settings_changed' })
    expect(trail.ok && trail.value.entries[0]).toMatchObject({ libraryName: 'Grill Haven West', detail: 'renamed from "Grill Haven Centrum" to "Grill Haven West"; customer label set to "Grill Haven"' })

    const cleared = await h.handlers['libraries.update']({ id, customer: '' })
    expect(cleared.ok && 'customer' in cleared.value).toBe(false)
    // Still a working library under its new name: a copy reaches its token.
    expect(await h.handlers['libraries.copy']({ id, format: 'token' })).toMatchObject({ ok: true })
  })

  it('bad input is refused naming the field, and nothing changes', async () => {
    h = await startLarder()
    const id = await added(0, 'Grill Haven Centrum', 'Grill Haven')
    await h.core.vault.flush()
    const file = fs.readFileSync(h.vaultPath)
    const cases: [unknown, string][] = [
      [{ id, name: '' }, 'name'],
      [{ id, customer: 'x'.repeat(201) }, 'customer'],
      [{ id, customer: 'two\nlines' }, 'customer'],
      // A field the call does not have is refused at the edge, as for every call.
      [{ id, name: 'Fine', colour: 'red' }, 'input'],
      [{ id: 'no-such-library', name: 'Fine' }, 'id']
    ]
    for (const [input, field] of cases) {
      const answer = await h.handlers['libraries.update'](input)
      expect(answer, JSON.stringify(input)).toMatchObject({ ok: false, error: { kind: 'invalid_input', field } })
    }
    const add = await h.handlers['libraries.add'](pasted(1, 'Bistro Nord', { customer: 'a\u0000b' }))
    expect(add).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'customer' } })
    expect(fs.readFileSync(h.vaultPath)).toEqual(file)
    expect(h.core.libraries.get(id)).toMatchObject({ name: 'Grill Haven Centrum', customer: 'Grill Haven' })
  })
})
