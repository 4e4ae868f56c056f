import { describe, expect, it } from 'vitest'
import { SecretClipboard, sensitiveMarkers, type SecretClipboardPort, type SensitiveMarker } from '../../../src/main/core/desktop/clipboard-policy.ts'
import { MAX_TIMER_MS } from '../../../src/main/core/time/clock.ts'
import { ManualClock } from '../../support/manual-clock.ts'

/** A clipboard that records what happened to it. */
class FakeClipboard implements SecretClipboardPort {
  text = ''
  markers: readonly SensitiveMarker[] = []
  readonly log: string[] = []
  failWrite = false

  async writeSecret(text: string, markers: readonly SensitiveMarker[]): Promise<void> {
    if (this.failWrite) throw new Error('clipboard busy')
    this.text = text
    this.markers = markers
    this.log.push(`write:${text}`)
  }
  async readText(): Promise<string> {
    this.log.push('read')
    return this.text
  }
  clear(): void {
    this.text = ''
    this.markers = []
    this.log.push('clear')
  }
  /** Another application copies something. */
  userCopies(text: string): void {
    this.text = text
    this.markers = []
  }
}

function setup(platform = 'linux') {
  const clock = new ManualClock()
  const port = new FakeClipboard()
  const errors: unknown[] = []
  const secrets = new SecretClipboard({ port, clock, platform, onError: (e) => errors.push(e) })
  return { clock, port, secrets, errors }
}

describe('sensitive markers per platform', () => {
  it('Windows: excluded from monitors, history and cloud clipboard (DWORD 0)', () => {
    const markers = sensitiveMarkers('win32')
    expect(markers.map((m) => m.format)).toEqual([
      'ExcludeClipboardContentFromMonitorProcessing',
      'CanIncludeInClipboardHistory',
      'CanUploadToCloudClipboard'
    ])
    for (const marker of markers) expect([...(marker.data as Uint8Array)]).toEqual([0, 0, 0, 0])
  })

  it('macOS: the nspasteboard concealed type', () => {
    expect(sensitiveMarkers('darwin').map((m) => m.format)).toEqual(['org.nspasteboard.ConcealedType'])
  })

  it('Linux: the KDE password-manager hint, set to "secret"', () => {
    expect(sensitiveMarkers('linux')).toEqual([{ format: 'x-kde-passwordManagerHint', data: 'secret' }])
  })

  it('elsewhere: nothing it could get wrong', () => {
    expect(sensitiveMarkers('aix')).toEqual([])
  })
})

describe('SecretClipboard', () => {
  it('writes the text with the platform markers and tells when it will clear', async () => {
    const { clock, port, secrets } = setup('win32')
    const { clearsAt, written } = secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    await written
    expect(clearsAt).toBe(clock.now() + 30_000)
    expect(port.text).toBe('tok-1')
    expect(port.markers.map((m) => m.format)).toContain('CanIncludeInClipboardHistory')
  })

  it('clears after the delay when the clipboard still holds our value', async () => {
    const { clock, port, secrets } = setup()
    secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    await clock.advance(29_999)
    expect(port.text).toBe('tok-1')
    await clock.advance(1)
    expect(port.text).toBe('')
    expect(port.log).toEqual(['write:tok-1', 'read', 'clear'])
    expect(secrets.holdsSecret).toBe(false)
  })

  it('leaves the clipboard alone when the person copied something else', async () => {
    const { clock, port, secrets } = setup()
    secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    await clock.advance(10_000)
    port.userCopies('my shopping list')
    await clock.advance(20_000)
    expect(port.text).toBe('my shopping list')
    expect(port.log).not.toContain('clear')
  })

  it('a new copy cancels the pending clear and starts its own', async () => {
    const { clock, port, secrets } = setup()
    secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    await clock.advance(20_000)
    secrets.copySecret('tok-2', { clearAfterMs: 30_000 })
    await clock.advance(15_000)
    expect(port.text).toBe('tok-2')
    expect(clock.pendingTimers).toBe(1)
    await clock.advance(15_000)
    expect(port.text).toBe('')
  })

  it('never clears when told not to', async () => {
    const { clock, port, secrets } = setup()
    const { clearsAt } = secrets.copySecret('tok-1', { clearAfterMs: 0 })
    expect(clearsAt).toBeNull()
    await clock.advance(365 * 24 * 3600_000)
    expect(port.text).toBe('tok-1')
  })

  it("clamps a delay beyond Node's timer limit instead of firing at once", async () => {
    const { clock, port, secrets } = setup()
    const { clearsAt } = secrets.copySecret('tok-1', { clearAfterMs: 10 * MAX_TIMER_MS })
    expect(clearsAt).toBe(clock.now() + MAX_TIMER_MS)
    await clock.advance(1000)
    expect(port.text).toBe('tok-1')
  })

  it('clearNow (on quit) clears only an unchanged clipboard, and only once', async () => {
    const { port, secrets, clock } = setup()
    await secrets.copySecret('tok-1', { clearAfterMs: 30_000 }).written
    expect(await secrets.clearNow()).toBe(true)
    expect(port.text).toBe('')
    expect(clock.pendingTimers).toBe(0)
    expect(await secrets.clearNow()).toBe(false)

    await secrets.copySecret('tok-2', { clearAfterMs: 30_000 }).written
    port.userCopies('something else')
    expect(await secrets.clearNow()).toBe(false)
    expect(port.text).toBe('something else')
  })

  it('clearNow right after a copy waits for the write, then clears it', async () => {
    const { port, secrets } = setup()
    secrets.copySecret('tok-1', { clearAfterMs: 30_000 })
    expect(await secrets.clearNow()).toBe(true)
    expect(port.log).toEqual(['write:tok-1', 'read', 'clear'])
  })

  it('reports a failed write through the copy and the error callback, without an unhandled rejection', async () => {
    const { port, secrets, errors } = setup()
    port.failWrite = true
    await expect(secrets.copySecret('tok-1', { clearAfterMs: 30_000 }).written).rejects.toThrow('clipboard busy')
    expect(errors).toHaveLength(1)
    port.failWrite = false
    await secrets.copySecret('tok-2', { clearAfterMs: 30_000 }).written
    expect(port.text).toBe('tok-2')
  })

  it('refuses an empty text', () => {
    const { secrets } = setup()
    expect(() => secrets.copySecret('', { clearAfterMs: 1 })).toThrow(TypeError)
  })
})
