// A key's view and its place on the desktop, from plain records: the actions that fit its state, a record changed
// outside Larder (nothing but removal), the strict view schema, and the tray's one line about keys.
import { describe, expect, it } from 'vitest'
import { KeyAttention, feedKeyOf } from '../../../src/main/app/key-feed.ts'
import { toKeyView } from '../../../src/main/app/key-views.ts'
import { buildTrayModel } from '../../../src/main/core/desktop/tray-model.ts'
import type { KeyMeta } from '../../../src/main/core/keys/key-model.ts'
import { keyViewSchema } from '../../../src/shared/contract.ts'

const NOW = Date.UTC(2026, 10, 25, 9)
const DAY = 86_400_000
const trusted = { keyRefusal: () => undefined }

function serviceKey(state: KeyMeta['state'], checkUrl: string | null = 'https://svc.example.test/check'): KeyMeta {
  return {
    id: `svc-${state}`,
    system: 'service_token',
    name: 'Platform sync',
    customer: 'Grill Haven',
    notes: '',
    details: { serviceUser: 'svc', environment: 'production', expiresAt: NOW + 3 * DAY, carry: { kind: 'bearer' }, checkUrl, envName: 'SERVICE_TOKEN' },
    state,
    addedAt: NOW - DAY,
    lastUsedAt: null,
    lastCheck: null,
    history: [{ at: NOW - DAY, event: 'added' }],
    tokenPreview: '…a91f'
  }
}

describe('a key view', () => {
  it('offers what fits its state: copy only while it works, the admin actions by state, check only with an address', () => {
    const active = toKeyView(serviceKey('active'), NOW, trusted)
    expect(keyViewSchema.parse(active)).toEqual(active)
    expect(active).toMatchObject({ status: 'expiring_soon', expiresAt: NOW + 3 * DAY, warnFrom: NOW - 4 * DAY, byInactivity: false, tampered: false })
    expect(active.actions).toEqual(['copy', 'check', 'revoke', 'set_expiry', 'mark_used'])
    expect(toKeyView(serviceKey('active', null), NOW, trusted).actions).toEqual(['copy', 'revoke', 'set_expiry', 'mark_used'])
    expect(toKeyView(serviceKey('revoked'), NOW, trusted)).toMatchObject({ status: 'revoked', actions: ['restore', 'delete'] })
    expect(toKeyView(serviceKey('expired'), NOW, trusted)).toMatchObject({ status: 'expired', actions: ['delete'] })
    expect(toKeyView(serviceKey('deleted'), NOW, trusted).actions).toEqual([])
    expect(toKeyView(serviceKey('active'), NOW + 3 * DAY, trusted)).toMatchObject({ status: 'expired', actions: ['check', 'revoke', 'set_expiry', 'mark_used'] })
  })

  it('a record changed outside Larder is shown as such, in error, with nothing to do but remove it', () => {
    const view = toKeyView(serviceKey('active'), NOW, { keyRefusal: () => new Error('tampered') })
    expect(view).toMatchObject({ tampered: true, status: 'error', actions: [] })
  })

  it('the schema refuses a view holding anything more (a token)', () => {
    const view = toKeyView(serviceKey('active'), NOW, trusted)
    expect(keyViewSchema.safeParse({ ...view, token: 'secret' }).success).toBe(false)
    expect(keyViewSchema.safeParse({ ...view, details: { ...view.details, token: 'secret' } }).success).toBe(false)
  })
})

describe('keys in the tray', () => {
  it('adds one line of counts and raises the level; keys that need nothing leave the tray as it was', () => {
    const attention = new KeyAttention()
    const base = buildTrayModel([{ id: 'lib', name: 'Brasserie Nord', status: 'healthy', expiresAt: NOW + DAY }])
    attention.reset([feedKeyOf(toKeyView({ ...serviceKey('active'), details: { ...serviceKey('active').details, expiresAt: null } } as KeyMeta, NOW, trusted))])
    expect(attention.decorate(base)).toBe(base)
    expect(attention.apply([feedKeyOf(toKeyView(serviceKey('active'), NOW, trusted))], [])).toBe(true)
    const model = attention.decorate(base)
    expect(model.level).toBe('warning')
    expect(model.tooltip).toBe(`${base.tooltip}; key: 1 expiring soon`)
    const labels = model.menu.map((node) => ('label' in node ? node.label : node.type))
    expect(labels.slice(-6)).toEqual(['separator', 'Keys of other systems (1): 1 expiring soon', 'Open Larder to see them', 'separator', 'Open Larder', 'Quit Larder'])
    expect(attention.apply([], ['svc-active'])).toBe(true)
    expect(attention.decorate(base)).toBe(base)
  })

  it('tells the notifier a key by its name and system, an inactive one as ended', () => {
    const view = toKeyView(serviceKey('active'), NOW, trusted)
    const { words, ...watched } = feedKeyOf(view).watched
    expect(watched).toEqual({ id: view.id, name: 'Platform sync (Service token)', status: 'expiring_soon', lastError: null, personal: null })
    // Its notices in its own words: the admin's date, not a library's refresh.
    expect(words?.expiring_soon?.title).toBe('Platform sync (Service token) expires soon')
    expect(words?.expiring_soon?.body).toMatch(/^Its admin set it to expire on \d{4}-\d\d-\d\d\. Ask for a new one in time\.$/)
    expect(feedKeyOf({ ...view, status: 'inactive' }).watched.status).toBe('expired')
  })
})
