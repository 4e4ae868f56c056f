import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import type { SecretSink } from '../../../src/main/core/larder-core.ts'

// A fake of Electron 45's asynchronous clipboard: writes replace everything, and record the formats they carried.
const fake = vi.hoisted(() => {
  class ClipboardItem {
    readonly items: Record<string, unknown>
    constructor(items: Record<string, unknown>) {
      this.items = items
    }
    get types(): string[] {
      return Object.keys(this.items)
    }
  }
  const state = { formats: {} as Record<string, unknown>, writes: 0, clears: 0 }
  const clipboard = {
    write: async (items: ClipboardItem[]) => {
      state.writes++
      state.formats = Object.assign({}, ...items.map((item) => item.items))
    },
    readText: async () => (typeof state.formats['text/plain'] === 'string' ? state.formats['text/plain'] : ''),
    clear: () => {
      state.clears++
      state.formats = {}
    }
  }
  return { ClipboardItem, clipboard, state }
})

vi.mock('electron', () => ({ clipboard: fake.clipboard, ClipboardItem: fake.ClipboardItem }))

const { createSecretClipboard, rawFormat } = await import('../../../src/main/electron/clipboard.ts')

beforeEach(() => {
  Object.assign(fake.state, { formats: {}, writes: 0, clears: 0 })
  vi.useFakeTimers()
})
afterEach(() => vi.useRealTimers())

const blobBytes = async (value: unknown): Promise<number[]> => [...new Uint8Array(await (value as Blob).arrayBuffer())]

describe('clipboard adapter: marking per platform', () => {
  it('Windows: text and the three exclusion formats in one write', async () => {
    await createSecretClipboard({ platform: 'win32' }).copySecret('tok', { clearAfterMs: 0 }).written
    expect(fake.state.writes).toBe(1)
    expect(Object.keys(fake.state.formats).sort()).toEqual(
      [
        'text/plain',
        rawFormat('ExcludeClipboardContentFromMonitorProcessing'),
        rawFormat('CanIncludeInClipboardHistory'),
        rawFormat('CanUploadToCloudClipboard')
      ].sort()
    )
    expect(fake.state.formats['text/plain']).toBe('tok')
    expect(await blobBytes(fake.state.formats[rawFormat('CanIncludeInClipboardHistory')])).toEqual([0, 0, 0, 0])
    expect(rawFormat('CanUploadToCloudClipboard')).toBe('electron application/osclipboard;format="CanUploadToCloudClipboard"')
  })

  it('macOS: the concealed type', async () => {
    await createSecretClipboard({ platform: 'darwin' }).copySecret('tok', { clearAfterMs: 0 }).written
    expect(Object.keys(fake.state.formats)).toEqual(['text/plain', rawFormat('org.nspasteboard.ConcealedType')])
  })

  it('Linux: the KDE hint set to "secret"', async () => {
    await createSecretClipboard({ platform: 'linux' }).copySecret('tok', { clearAfterMs: 0 }).written
    expect(fake.state.formats).toEqual({ 'text/plain': 'tok', [rawFormat('x-kde-passwordManagerHint')]: 'secret' })
  })
})

describe('clipboard adapter: the core sink', () => {
  it("is the core's SecretSink", () => {
    expectTypeOf(createSecretClipboard).returns.toExtend<SecretSink>()
  })
})

describe('clipboard adapter: clearing', () => {
  it('clears after the delay only if the clipboard still holds our value', async () => {
    const secrets = createSecretClipboard({ platform: 'linux' })
    secrets.copySecret('tok', { clearAfterMs: 30_000 })
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fake.state.clears).toBe(1)
    expect(fake.state.formats).toEqual({})

    secrets.copySecret('tok-2', { clearAfterMs: 30_000 })
    await vi.advanceTimersByTimeAsync(1_000)
    fake.state.formats = { 'text/plain': 'copied by the person' }
    await vi.advanceTimersByTimeAsync(30_000)
    expect(fake.state.clears).toBe(1)
    expect(fake.state.formats).toEqual({ 'text/plain': 'copied by the person' })
  })

  it('cancels a pending clear when a new copy is made', async () => {
    const secrets = createSecretClipboard({ platform: 'linux' })
    secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    await vi.advanceTimersByTimeAsync(25_000)
    secrets.copySecret('tok-2', { clearAfterMs: 30_000 })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(fake.state.formats['text/plain']).toBe('tok-2')
    expect(fake.state.clears).toBe(0)
    await vi.advanceTimersByTimeAsync(20_000)
    expect(fake.state.clears).toBe(1)
  })
})
