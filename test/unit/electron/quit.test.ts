// Quitting in one order, with a fake 'electron': every quit is held; the clipboard is cleared if it still holds the
// copied token; the app closes (waiting for refreshes in flight to be written); then the process exits, once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FakeElectron } from '../../support/fake-electron.ts'

vi.mock('electron', async () => (await import('../../support/fake-electron.ts')).fakeElectron)

const electron = (await import('electron')) as unknown as FakeElectron
const { createSecretClipboard } = await import('../../../src/main/electron/clipboard.ts')
const { quitInOrder } = await import('../../../src/main/electron/quit.ts')

let dispose: (() => void) | null = null
let willQuit = 0
const onWillQuit = (): void => void willQuit++

beforeEach(() => {
  electron.app.exits.length = 0
  electron.app.quits = 0
  electron.clipboard.text = ''
  willQuit = 0
  electron.app.on('will-quit', onWillQuit)
})
afterEach(() => {
  dispose?.()
  dispose = null
  electron.app.removeListener('will-quit', onWillQuit)
})

const settle = (ms = 0): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => undefined
  const promise = new Promise<void>((r) => (resolve = r))
  return { promise, resolve }
}

describe('quitting', () => {
  it('holds every quit, clears an unchanged clipboard, waits for the app to close, then exits once', async () => {
    const secrets = createSecretClipboard({ platform: 'linux' })
    await secrets.copySecret('tok', { clearAfterMs: 30_000 }).written
    const closing = deferred()
    const steps: string[] = []
    dispose = quitInOrder({
      clearClipboard: () => {
        steps.push('clipboard')
        return secrets.clearNow()
      },
      close: () => {
        steps.push('close')
        return closing.promise
      }
    })
    electron.app.quit()
    await settle()
    expect(electron.clipboard.text).toBe('')
    expect(steps).toEqual(['clipboard', 'close'])
    // Still closing: nothing has ended the process, and a second quit (the tray's Quit again) is held too.
    electron.app.quit()
    await settle()
    expect(electron.app.exits).toEqual([])
    expect(willQuit).toBe(0)
    closing.resolve()
    await settle()
    expect(electron.app.exits).toEqual([0])
    expect(steps).toEqual(['clipboard', 'close'])
    expect(willQuit).toBe(0)
  })

  it('leaves a clipboard the person changed since', async () => {
    const secrets = createSecretClipboard({ platform: 'linux' })
    await secrets.copySecret('tok', { clearAfterMs: 30_000 }).written
    electron.clipboard.text = 'mine'
    dispose = quitInOrder({ clearClipboard: () => secrets.clearNow(), close: () => Promise.resolve() })
    electron.app.quit()
    await settle()
    expect(electron.clipboard.text).toBe('mine')
    expect(electron.app.exits).toEqual([0])
  })

  it('does not touch a clipboard that holds nothing of ours, and still closes before exiting', async () => {
    const secrets = createSecretClipboard({ platform: 'linux' })
    electron.clipboard.text = 'mine'
    const read = vi.spyOn(electron.clipboard, 'readText')
    const close = vi.fn(() => Promise.resolve())
    dispose = quitInOrder({ clearClipboard: () => secrets.clearNow(), close })
    electron.app.quit()
    await settle()
    expect(read).not.toHaveBeenCalled()
    expect(electron.clipboard.text).toBe('mine')
    expect(close).toHaveBeenCalledOnce()
    expect(electron.app.exits).toEqual([0])
    read.mockRestore()
  })

  it('gives up on a clipboard that does not answer, and still closes', async () => {
    const close = vi.fn(() => Promise.resolve())
    dispose = quitInOrder({ clearClipboard: () => new Promise(() => undefined), close, clipboardTimeoutMs: 20 })
    electron.app.quit()
    await settle(5)
    expect(close).not.toHaveBeenCalled()
    await settle(40)
    expect(close).toHaveBeenCalledOnce()
    expect(electron.app.exits).toEqual([0])
  })

  it('reports a failed close and exits with 1', async () => {
    const errors: Array<[string, unknown]> = []
    const failure = new Error('disk gone')
    dispose = quitInOrder({ clearClipboard: () => Promise.resolve(), close: () => Promise.reject(failure), onError: (step, error) => errors.push([step, error]) })
    electron.app.quit()
    await settle()
    expect(errors).toEqual([['close', failure]])
    expect(electron.app.exits).toEqual([1])
  })
})
