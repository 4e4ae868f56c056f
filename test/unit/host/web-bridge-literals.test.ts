// The browser host's page bridge imports nothing (a classic script), so it writes out the first page's size and the
// locale rule of src/shared/list-paging.ts. Its early first-page call must be exactly the one the app's store makes
// (and the Electron preload's), or the app's own call goes out again: the literals and the input are checked here.
import fs from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { earlyCalls } from '../../../src/preload/early-calls.ts'
import { FIRST_PAGE_ROWS, LIST_LOCALE, listLocale } from '../../../src/shared/list-paging.ts'

const SOURCE = fs.readFileSync(new URL('../../browser-host/web-bridge.ts', import.meta.url), 'utf8')

/** The early calls a freshly loaded page bridge sends, for a page whose language is `language`. */
async function earlySent(language: string | undefined): Promise<{ name?: string; input?: unknown }[]> {
  const sent: { type: string; name?: string; input?: unknown }[] = []
  class FakeSocket {
    readyState = 1
    onopen: (() => void) | null = null
    onmessage: unknown = null
    onclose: unknown = null
    constructor() {
      queueMicrotask(() => this.onopen?.())
    }
    send(data: string): void {
      sent.push(JSON.parse(data) as { type: string; name?: string; input?: unknown })
    }
  }
  vi.stubGlobal('WebSocket', FakeSocket)
  vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1', hash: '#bridge=secret', pathname: '/', search: '' })
  vi.stubGlobal('history', { replaceState: () => undefined })
  vi.stubGlobal('sessionStorage', { getItem: () => null, setItem: () => undefined })
  vi.stubGlobal('window', {})
  vi.stubGlobal('navigator', language === undefined ? undefined : { language })
  vi.resetModules()
  await import('../../browser-host/web-bridge.ts')
  await Promise.resolve()
  return sent.filter((message) => message.type === 'call')
}

afterEach(() => {
  vi.unstubAllGlobals()
})

describe("the page bridge's copy of the list paging rules", () => {
  it('writes out the same first page size and locale pattern as list-paging.ts', () => {
    expect(/const FIRST_PAGE_ROWS = ([\d_]+)\n/.exec(SOURCE)?.[1]?.replaceAll('_', '')).toBe(String(FIRST_PAGE_ROWS))
    expect(/const LIST_LOCALE = (\/.+\/[a-z]*)\n/.exec(SOURCE)?.[1]).toBe(String(LIST_LOCALE))
  })

  it.each([['en-GB'], ['sv'], ['zh-Hant-TW'], ['not a tag!'], ['x'], [undefined]])('asks with the input the app and the preload use, for language %s', async (language) => {
    const calls = await earlySent(language)
    expect(calls.map((call) => call.name)).toEqual(['vault.state', 'libraries.listFirst'])
    const expected = { count: FIRST_PAGE_ROWS, locale: listLocale(language) }
    expect(JSON.stringify(calls[1]?.input)).toBe(JSON.stringify(expected))
    expect(JSON.stringify(calls.map((call) => [call.name, call.input]))).toBe(JSON.stringify(earlyCalls(listLocale(language))))
  })
})
