import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { LibraryStatus, LibraryView } from '../../../src/shared/contract.ts'

interface TemplateItem {
  label?: string
  type?: string
  enabled?: boolean
  click?: () => void
  submenu?: TemplateItem[]
}

const fake = vi.hoisted(() => {
  class FakeImage {
    readonly bitmap: Buffer
    readonly options: { width: number; height: number; scaleFactor?: number }
    constructor(bitmap: Buffer, options: { width: number; height: number; scaleFactor?: number }) {
      this.bitmap = bitmap
      this.options = options
    }
  }
  class Tray {
    static last: Tray | null = null
    image: unknown
    tooltip = ''
    menu: { template: TemplateItem[] } | null = null
    destroyed = false
    readonly handlers = new Map<string, () => void>()
    readonly calls: string[] = []
    constructor(image: unknown) {
      this.image = image
      Tray.last = this
    }
    setImage(image: unknown): void {
      this.calls.push('setImage')
      this.image = image
    }
    setToolTip(text: string): void {
      this.calls.push('setToolTip')
      this.tooltip = text
    }
    setContextMenu(menu: { template: TemplateItem[] }): void {
      this.calls.push('setContextMenu')
      this.menu = menu
    }
    on(event: string, handler: () => void): this {
      this.handlers.set(event, handler)
      return this
    }
    isDestroyed(): boolean {
      return this.destroyed
    }
    destroy(): void {
      this.destroyed = true
    }
  }
  const Menu = { buildFromTemplate: (template: TemplateItem[]) => ({ template }) }
  const nativeImage = {
    createFromBitmap: (bitmap: Buffer, options: { width: number; height: number; scaleFactor?: number }) => new FakeImage(bitmap, options)
  }
  return { Tray, Menu, nativeImage, FakeImage }
})

vi.mock('electron', () => ({ Tray: fake.Tray, Menu: fake.Menu, nativeImage: fake.nativeImage }))

const { createLarderTray, trayIcon } = await import('../../../src/main/electron/tray.ts')

let seq = 0
function view(status: LibraryStatus, name = `Lib ${++seq}`): LibraryView {
  return {
    id: `id-${name}`,
    name,
    status,
    apicbaseLibraryId: null,
    apicbaseLibraryName: null,
    tokenType: 'service_account',
    scopes: [],
    apiBaseUrl: 'https://api.apicbase.com',
    apiHost: 'api.apicbase.com',
    apiHostKind: 'apicbase',
    clientId: 'client',
    addedAt: 0,
    issuedAt: null,
    expiresAt: null,
    lastRefreshedAt: null,
    lastUsedAt: null,
    lastError: null,
    tokenPreview: '…abcd'
  }
}

function setup(platform = 'linux') {
  const callbacks = { copy: vi.fn(), refresh: vi.fn(), open: vi.fn(), quit: vi.fn() }
  const onError = vi.fn()
  const tray = createLarderTray(callbacks, { platform, onError })
  const electronTray = fake.Tray.last!
  const find = (label: string, items: TemplateItem[] = electronTray.menu?.template ?? []): TemplateItem | undefined => {
    for (const item of items) {
      if (item.label === label) return item
      const inside = item.submenu ? find(label, item.submenu) : undefined
      if (inside) return inside
    }
    return undefined
  }
  return { tray, electronTray, callbacks, onError, find }
}

beforeEach(() => {
  fake.Tray.last = null
})

describe('tray adapter', () => {
  it('starts with the ok icon, saying the vault is opening (no libraries are known yet), then lists them', () => {
    const { tray, electronTray } = setup()
    expect((electronTray.image as InstanceType<typeof fake.FakeImage>).options).toEqual({ width: 32, height: 32, scaleFactor: 2 })
    expect(electronTray.tooltip).toBe('Larder — opening the vault')
    expect(electronTray.menu?.template.map((i) => i.label ?? i.type)).toEqual(['Opening the vault…', 'separator', 'Open Larder', 'Quit Larder'])
    tray.update([])
    expect(electronTray.tooltip).toBe('Larder — no libraries yet')
    expect(electronTray.menu?.template.map((i) => i.label ?? i.type)).toEqual(['No libraries yet', 'separator', 'Open Larder', 'Quit Larder'])
  })

  it('while the vault is locked, says so and that nothing is refreshed', () => {
    const { tray, electronTray } = setup()
    tray.vault({ state: 'locked', mode: 'unlock' })
    expect(electronTray.image).toEqual(trayIcon('warning'))
    expect(electronTray.tooltip).toBe('Larder — locked, no token is refreshed')
    expect(electronTray.menu?.template[0]).toMatchObject({ label: 'Locked: open Larder to unlock it. No token is refreshed until then.', enabled: false })
  })

  it('switches icon and tooltip with the worst status', () => {
    const { tray, electronTray } = setup()
    tray.update([view('healthy'), view('expiring_soon')])
    expect(electronTray.image).toEqual(trayIcon('warning'))
    expect(electronTray.tooltip).toBe('Larder — 1 expiring soon')
    tray.update([view('needs_reauth'), view('expiring_soon')])
    expect(electronTray.image).toEqual(trayIcon('attention'))
    expect(electronTray.tooltip).toBe('Larder — 1 library needs you, 1 expiring soon')
  })

  it('builds the menu from the model and wires every click to its callback', () => {
    const { tray, find, callbacks } = setup()
    tray.update([view('error', 'Bistro'), view('healthy', 'Cafe')])
    const heading = find('Refresh failed (1)')
    expect(heading).toMatchObject({ enabled: false })
    expect(find('Bistro')?.submenu?.map((i) => i.label ?? i.type)).toEqual([
      'Copy token',
      'Copy as Authorization header',
      'Refresh now',
      'separator',
      'Open in Larder'
    ])
    find('Bistro')?.submenu?.[0]?.click?.()
    expect(callbacks.copy).toHaveBeenLastCalledWith('id-Bistro', 'token')
    find('Bistro')?.submenu?.[1]?.click?.()
    expect(callbacks.copy).toHaveBeenLastCalledWith('id-Bistro', 'header')
    find('Bistro')?.submenu?.[2]?.click?.()
    expect(callbacks.refresh).toHaveBeenCalledWith('id-Bistro')
    find('Bistro')?.submenu?.[4]?.click?.()
    expect(callbacks.open).toHaveBeenLastCalledWith('id-Bistro')
    find('Open Larder')?.click?.()
    expect(callbacks.open).toHaveBeenLastCalledWith()
    find('Quit Larder')?.click?.()
    expect(callbacks.quit).toHaveBeenCalledOnce()
  })

  it('rebuilds nothing when nothing changed', () => {
    const { tray, electronTray } = setup()
    const libraries = [view('healthy', 'A'), view('expiring_soon', 'B')]
    tray.update(libraries)
    electronTray.calls.length = 0
    tray.update(libraries)
    expect(electronTray.calls).toEqual([])
  })

  it('opens the window on click except on macOS, where a click shows the menu', () => {
    const { electronTray, callbacks } = setup('win32')
    electronTray.handlers.get('click')?.()
    expect(callbacks.open).toHaveBeenCalledOnce()
    const mac = setup('darwin')
    expect(mac.electronTray.handlers.has('click')).toBe(false)
  })

  it('reports a failing callback instead of throwing into Electron', async () => {
    const { tray, find, callbacks, onError } = setup()
    callbacks.refresh.mockRejectedValueOnce(new Error('offline'))
    callbacks.copy.mockImplementationOnce(() => {
      throw new Error('boom')
    })
    tray.update([view('healthy', 'A')])
    find('Refresh now')?.click?.()
    find('Copy token')?.click?.()
    await Promise.resolve()
    await Promise.resolve()
    expect(onError).toHaveBeenCalledTimes(2)
  })

  it('destroys the tray once and ignores updates after', () => {
    const { tray, electronTray } = setup()
    tray.destroy()
    tray.destroy()
    electronTray.calls.length = 0
    tray.update([view('error')])
    expect(electronTray.destroyed).toBe(true)
    expect(electronTray.calls).toEqual([])
  })
})
