// The bridge end to end: the built renderer in Chromium, `window.larder` from the browser host, the real core and
// handler table in Node, the Apicbase sandbox behind them. Proves the round trip, the push events, both guards on
// the socket, and invariant 4: after a full run no secret reached the page, and none was written in clear.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { WebSocket } from 'ws'
import type { CallInput, CallName, CallResult, CopyFormat, LarderBridge } from '../../src/shared/contract.ts'
import { assembleCore, type AssembledCore } from '../browser-host/assemble.ts'
import { BRIDGE_PATH, POLICY_VIOLATION, startBrowserHost, type BrowserHost } from '../browser-host/host.ts'
import { startSandbox, type LibraryCredentials, type Sandbox } from '../sandbox/index.ts'
import { serveFolder, type StaticServer } from '../support/static-server.ts'
import { FAST_SCRYPT, readTree } from '../support/core-harness.ts'

/** What the page holds, as seen from page.evaluate (types only: erased before the function is sent). */
interface PageGlobals {
  readonly larder: LarderBridge
  events: { name: string; payload: unknown }[]
  readonly document: { readonly documentElement: { readonly outerHTML: string } }
}

const LIBRARY_VIEW_KEYS = [
  'addedAt', 'apiBaseUrl', 'apiHost', 'apiHostKind', 'apicbaseLibraryId', 'apicbaseLibraryName', 'clientId', 'expiresAt', 'health', 'id',
  'issuedAt', 'lastError', 'lastRefreshedAt', 'lastUsedAt', 'name', 'rateLimit', 'scopes', 'status', 'tokenPreview', 'tokenType'
]
/** A list row (libraries.list, library.changed): the whole view is one 'libraries.get' away. */
const LIBRARY_LIST_VIEW_KEYS = ['addedAt', 'apicbaseLibraryId', 'apicbaseLibraryName', 'clientId', 'expiresAt', 'id', 'lastRefreshedAt', 'lastUsedAt', 'name', 'status', 'tokenType']

test.describe.configure({ mode: 'serial' })

let sandbox: Sandbox
let assembled: AssembledCore
let host: BrowserHost
let dataDir: string
/** Every secret that exists in this run: the sandbox's fixtures and each pair the vault held along the way. */
const secrets = new Set<string>()

function addSecrets(credentials: Pick<LibraryCredentials, 'clientSecret' | 'accessToken' | 'refreshToken'>): void {
  secrets.add(credentials.clientSecret)
  secrets.add(credentials.accessToken)
  secrets.add(credentials.refreshToken)
}

async function collectVaultSecrets(): Promise<void> {
  for (const library of assembled.core.libraries.list()) addSecrets(await assembled.core.vault.secrets(library.id))
}

function pasted(credentials: LibraryCredentials, apiBaseUrl?: string): CallInput<'libraries.add'> {
  const { tokenType, name, clientId, clientSecret, accessToken, refreshToken } = credentials
  return { tokenType, name, clientId, clientSecret, accessToken, refreshToken, ...(apiBaseUrl ? { apiBaseUrl } : {}) }
}

async function openApp(page: Page): Promise<void> {
  await page.goto(host.urlWithSecret)
  await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
  await page.waitForFunction(() => (globalThis as unknown as { larder?: unknown }).larder !== undefined)
}

/** Calls the bridge inside the page. */
function call<N extends CallName>(page: Page, name: N, input: CallInput<N>): Promise<CallResult<N>> {
  return page.evaluate(
    ({ name, input }) => (globalThis as unknown as PageGlobals).larder.call(name, input as never) as Promise<unknown>,
    { name, input } as { name: CallName; input: unknown }
  ) as Promise<CallResult<N>>
}

function valueOf<N extends CallName>(result: CallResult<N>): Extract<CallResult<N>, { ok: true }>['value'] {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`)
  return result.value
}

async function recordEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals
    g.events = []
    g.larder.on('library.changed', (payload) => g.events.push({ name: 'library.changed', payload }))
    g.larder.on('library.removed', (payload) => g.events.push({ name: 'library.removed', payload }))
  })
}

function pageEvents(page: Page): Promise<{ name: string; payload: unknown }[]> {
  return page.evaluate(() => (globalThis as unknown as PageGlobals).events)
}

/** Opens a raw socket to the host from Node: how it ends, and what it was sent. */
function rawSocket(headers: Record<string, string>, first?: object): Promise<{ status?: number; code?: number; messages: string[] }> {
  return new Promise((resolve) => {
    const messages: string[] = []
    const socket = new WebSocket(`${host.url.replace('http:', 'ws:')}${BRIDGE_PATH}`, { headers })
    socket.on('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0, messages })
      socket.terminate()
    })
    socket.on('error', () => undefined)
    socket.on('open', () => {
      if (first) socket.send(JSON.stringify(first))
    })
    socket.on('message', (data) => messages.push(String(data)))
    socket.on('close', (code) => resolve({ code, messages }))
    setTimeout(() => {
      resolve({ code: -1, messages })
      socket.terminate()
    }, 5000)
  })
}

test.beforeAll(async () => {
  sandbox = await startSandbox({ admin: true })
  for (const library of sandbox.fixtures.libraries) addSecrets(library)
  addSecrets(sandbox.fixtures.user.token)
  for (const application of sandbox.fixtures.applications) secrets.add(application.clientSecret)
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-e2e-'))
  assembled = await assembleCore({ dataDir, sandboxUrl: sandbox.url, scryptCost: FAST_SCRYPT })
  // Two libraries added the way the app adds them (a real refresh against the sandbox).
  for (const library of sandbox.fixtures.libraries.slice(0, 2)) await assembled.actions.add(pasted(library, sandbox.url))
  await collectVaultSecrets()
  host = await startBrowserHost({ app: assembled.app, rendererDir: path.resolve('out/renderer') })
})

test.afterAll(async () => {
  await host?.close()
  await assembled?.close()
  await sandbox?.close()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

test('the window loads with window.larder from the browser host, and the secret leaves the address bar', async ({ page }) => {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
  })
  const response = await page.goto(host.urlWithSecret)
  expect(response?.headers()['content-security-policy']).toContain(`connect-src 'self' ws://127.0.0.1:${new URL(host.url).port}`)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self';")
  await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
  const seen = await page.evaluate(() => {
    const g = globalThis as unknown as { larder: LarderBridge; location: { href: string; hash: string } }
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'larder')
    return { host: g.larder.host, frozen: Object.isFrozen(g.larder), writable: descriptor?.writable, configurable: descriptor?.configurable, hash: g.location.hash, href: g.location.href }
  })
  expect(seen).toMatchObject({ host: 'browser', frozen: true, writable: false, configurable: false, hash: '' })
  expect(seen.href).not.toContain(host.secret)
  expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.outerHTML)).not.toContain(host.secret)
  // The page only learns the secret from the fragment; no request the host served carried it.
  // The host says what it does (issue 19): a stand-in clipboard, no system browser, not a demo.
  expect(valueOf(await call(page, 'app.info', {}))).toEqual({ name: 'Larder', version: expect.any(String), host: 'browser', clipboard: 'stand-in', opensBrowser: false, demo: false })
  expect(problems).toEqual([])
})

test('app.info, vault.state and libraries.list round-trip through the page', async ({ page }) => {
  await openApp(page)
  const info = await call(page, 'app.info', {})
  expect(info).toEqual({ ok: true, value: { name: 'Larder', version: expect.stringMatching(/^\d+\.\d+\.\d+/), host: 'browser', clipboard: 'stand-in', opensBrowser: false, demo: false } })
  expect(await call(page, 'vault.state', {})).toEqual({ ok: true, value: { state: 'open', cipher: 'passphrase' } })
  const list = valueOf(await call(page, 'libraries.list', {}))
  expect(list.map((l) => l.name).sort()).toEqual(sandbox.fixtures.libraries.slice(0, 2).map((l) => l.name).sort())
  for (const library of list) {
    expect(Object.keys(library).sort()).toEqual(LIBRARY_LIST_VIEW_KEYS)
    expect(Object.keys(valueOf(await call(page, 'libraries.get', { id: library.id }))).sort()).toEqual(LIBRARY_VIEW_KEYS)
  }
  // A refused call is a result with kind and field, not a rejection (as over Electron IPC).
  const refused = await call(page, 'libraries.refresh', { id: '' })
  expect(refused).toMatchObject({ ok: false, error: { kind: 'invalid_input', field: 'id' } })
  const unknown = await page.evaluate(() => (globalThis as unknown as PageGlobals).larder.call('no.such.call' as never, {} as never))
  expect(unknown).toMatchObject({ ok: false, error: { kind: 'invalid_input' } })
})

test('an event from the core reaches the page', async ({ page }) => {
  await openApp(page)
  await recordEvents(page)
  const [library] = assembled.core.libraries.list()
  if (!library) throw new Error('no library')
  const refreshed = await assembled.actions.refresh(library.id)
  await collectVaultSecrets()
  await expect.poll(() => pageEvents(page)).toContainEqual({
    name: 'library.changed',
    payload: expect.objectContaining({ id: library.id, lastRefreshedAt: refreshed.lastRefreshedAt, status: 'healthy' })
  })
  for (const event of await pageEvents(page)) expect(Object.keys(event.payload as object).sort()).toEqual(LIBRARY_LIST_VIEW_KEYS)
  // A disposer stops delivery.
  await page.evaluate(() => {
    const g = globalThis as unknown as PageGlobals & { off?: () => void; late: unknown[] }
    g.late = []
    const off = g.larder.on('library.changed', (payload) => g.late.push(payload))
    off()
  })
  await assembled.actions.refresh(library.id)
  await collectVaultSecrets()
  await expect.poll(async () => (await pageEvents(page)).length).toBeGreaterThanOrEqual(2)
  expect(await page.evaluate(() => (globalThis as unknown as { late: unknown[] }).late)).toEqual([])
})

test('a page from another origin cannot open the bridge, even holding the secret', async ({ page }) => {
  const otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-other-'))
  fs.writeFileSync(path.join(otherDir, 'index.html'), '<!doctype html><title>elsewhere</title><p>another origin</p>')
  let other: StaticServer | undefined
  try {
    other = await serveFolder(otherDir)
    await page.goto(other.url)
    const outcome = await page.evaluate(
      ({ url, secret }) =>
        new Promise<{ opened: boolean; code: number; messages: string[] }>((resolve) => {
          const messages: string[] = []
          let opened = false
          const socket = new WebSocket(url)
          socket.onopen = () => {
            opened = true
            socket.send(JSON.stringify({ type: 'hello', secret }))
            socket.send(JSON.stringify({ type: 'call', id: 1, name: 'libraries.list', input: {} }))
          }
          socket.onmessage = (event) => messages.push(String(event.data))
          socket.onclose = (event) => resolve({ opened, code: event.code, messages })
          setTimeout(() => resolve({ opened, code: -1, messages }), 5000)
        }),
      { url: `${host.url.replace('http:', 'ws:')}${BRIDGE_PATH}`, secret: host.secret }
    )
    expect(outcome).toEqual({ opened: false, code: 1006, messages: [] })
  } finally {
    await other?.close()
    fs.rmSync(otherDir, { recursive: true, force: true })
  }
  // The same from Node, with forged or missing Origin headers: the upgrade is refused with 403.
  const port = new URL(host.url).port
  expect(await rawSocket({ origin: 'http://evil.example' }, { type: 'hello', secret: host.secret })).toEqual({ status: 403, messages: [] })
  expect(await rawSocket({ origin: `http://localhost:${port}` }, { type: 'hello', secret: host.secret })).toEqual({ status: 403, messages: [] })
  expect(await rawSocket({}, { type: 'hello', secret: host.secret })).toEqual({ status: 403, messages: [] })
})

test('a wrong or missing secret is refused', async ({ page }) => {
  const origin = { origin: host.url }
  expect(await rawSocket(origin, { type: 'hello', secret: 'x'.repeat(43) })).toEqual({ code: POLICY_VIOLATION, messages: [] })
  expect(await rawSocket(origin, { type: 'hello' })).toEqual({ code: POLICY_VIOLATION, messages: [] })
  expect(await rawSocket(origin, { type: 'call', id: 1, name: 'libraries.list', input: {} })).toEqual({ code: POLICY_VIOLATION, messages: [] })
  // The right secret from the right origin is let in (so the refusals above are the secret's doing).
  const good = await new Promise<string>((resolve) => {
    const socket = new WebSocket(`${host.url.replace('http:', 'ws:')}${BRIDGE_PATH}`, { headers: origin })
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', secret: host.secret })))
    socket.on('message', (data) => {
      resolve(String(data))
      socket.close()
    })
  })
  expect(JSON.parse(good)).toEqual({ type: 'ready' })

  // In the page: a wrong fragment gets a bridge whose calls reject with a clear message.
  await page.goto(`${host.url}/#bridge=not-the-secret`)
  await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
  const rejected = await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).larder.call('libraries.list', {}).then(
      () => 'resolved',
      (error: Error & { kind?: string }) => `${error.kind}: ${error.message}`
    )
  )
  expect(rejected).toBe('internal: The browser host refused this page (wrong or missing bridge secret)')
  // And no fragment at all: no socket, a message saying what to open.
  const fresh = await page.context().newPage()
  await fresh.goto(host.url)
  const missing = await fresh.evaluate(() =>
    (globalThis as unknown as PageGlobals).larder.call('app.info', {}).then(
      () => 'resolved',
      (error: Error) => error.message
    )
  )
  expect(missing).toContain('#bridge=')
})

test('after a full run through the bridge, no secret is in the page, in what the host sent, or on disk', async ({ page }) => {
  await openApp(page)
  await recordEvents(page)

  // Add a seeded library with its sandbox credentials, as a person would paste them.
  const trattoria = sandbox.fixtures.libraries[2]
  if (!trattoria) throw new Error('fixture missing')
  const added = valueOf(await call(page, 'libraries.add', pasted(trattoria, sandbox.url)))
  expect(added).toMatchObject({ name: trattoria.name, status: 'healthy', apiBaseUrl: sandbox.url, clientId: trattoria.clientId })
  await collectVaultSecrets()
  // A brand-new library without apiBaseUrl: goes to the vault's default, which assembleCore set to the sandbox.
  const kitchen = sandbox.addLibraryWithApplication({ name: 'Bridge Test Kitchen' })
  addSecrets(kitchen)
  const kitchenView = valueOf(await call(page, 'libraries.add', pasted(kitchen)))
  expect(kitchenView.apiBaseUrl).toBe(sandbox.url)
  await collectVaultSecrets()
  // A wrong client secret is refused by Apicbase and nothing is saved.
  const wrongSecret = `${trattoria.clientSecret}-wrong`
  secrets.add(wrongSecret)
  const refused = await call(page, 'libraries.add', { ...pasted(sandbox.addLibraryWithApplication({ name: 'Refused' })), clientSecret: wrongSecret })
  expect(refused).toMatchObject({ ok: false, error: { kind: 'api', apiKind: 'invalid_client' } })

  // Refresh, then copy in every format: the clipboard gets the live token, the page only a masked receipt.
  const refreshed = valueOf(await call(page, 'libraries.refresh', { id: added.id }))
  expect(refreshed.lastRefreshedAt).toBeGreaterThanOrEqual(added.lastRefreshedAt ?? 0)
  await collectVaultSecrets()
  for (const format of ['token', 'header', 'env', 'curl'] as const satisfies readonly CopyFormat[]) {
    const receipt = valueOf(await call(page, 'libraries.copy', { id: added.id, format }))
    const { accessToken } = await assembled.core.vault.secrets(added.id)
    expect(receipt).toMatchObject({ libraryId: added.id, format, clearsAt: expect.any(Number) })
    expect(receipt.preview).not.toContain(accessToken)
    expect(assembled.clipboard.text).toContain(accessToken)
    if (format === 'token') expect(assembled.clipboard.text).toBe(accessToken)
    await collectVaultSecrets()
  }

  // The rest of the contract, read side.
  const list = valueOf(await call(page, 'libraries.list', {}))
  expect(list.map((l) => l.name)).toEqual(expect.arrayContaining([trattoria.name, kitchen.name]))
  valueOf(await call(page, 'settings.get', {}))
  const audit = valueOf(await call(page, 'audit.page', { limit: 100 }))
  expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['added', 'refreshed', 'copied']))
  expect(valueOf(await call(page, 'audit.exportCsv', {})).rows).toBeGreaterThan(0)

  // Revoke and remove the new library: the page hears it go.
  valueOf(await call(page, 'libraries.revoke', { id: kitchenView.id }))
  expect(valueOf(await call(page, 'libraries.remove', { id: kitchenView.id, confirmName: kitchen.name }))).toEqual({ removed: kitchenView.id })
  await expect.poll(() => pageEvents(page)).toContainEqual({ name: 'library.removed', payload: { id: kitchenView.id } })
  await assembled.core.vault.flush()

  // The checks. Secrets are long random strings; a short one would make the search meaningless.
  const all = [...secrets]
  expect(all.length).toBeGreaterThanOrEqual(30)
  for (const secret of all) expect(secret.length).toBeGreaterThanOrEqual(16)
  const dom = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.outerHTML)
  const sent = host.messagesSent()
  expect(sent.some((m) => m.includes('"type":"result"'))).toBe(true)
  expect(sent.some((m) => m.includes('"type":"event"'))).toBe(true)
  const sentText = sent.join('\n')
  const onDisk = readTree(dataDir)
  expect(onDisk.length).toBeGreaterThan(0)
  // Named by position only, so a failure report does not print the secret it found.
  const leaks = all.flatMap((secret, i) => [
    ...(dom.includes(secret) ? [`secret #${i} in the DOM`] : []),
    ...(sentText.includes(secret) ? [`secret #${i} in a message the host sent`] : []),
    ...(onDisk.includes(secret) ? [`secret #${i} in a file under the data folder`] : [])
  ])
  expect(leaks).toEqual([])
})
