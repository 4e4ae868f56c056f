// Chromium driven over a bare DevTools protocol connection: only the domains asked for are on in a page. Playwright
// always enables the Network domain, and with it on Chromium copies every WebSocket frame's payload to the DevTools
// client inside the page (the 10,000-library list: 3.8 MB, hundreds of ms) — a cost no person's browser and no
// Electron window pays. The start-up benchmark measures its loads through this instead.
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

interface CdpAnswer {
  readonly id?: number
  readonly result?: unknown
  readonly error?: { readonly message: string }
  readonly method?: string
  readonly params?: unknown
  readonly sessionId?: string
}

/** One connection to the browser; page commands go to a session (flat mode). */
export class CdpConnection {
  #nextId = 0
  readonly #pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  readonly #socket: WebSocket
  readonly #listeners = new Set<(method: string, params: unknown) => void>()
  constructor(socket: WebSocket) {
    this.#socket = socket
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as CdpAnswer
      if (message.id === undefined) {
        if (message.method !== undefined) for (const listener of this.#listeners) listener(message.method, message.params)
        return
      }
      const waiter = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error) waiter?.reject(new Error(message.error.message))
      else waiter?.resolve(message.result)
    })
    socket.addEventListener('close', () => {
      for (const { reject } of this.#pending.values()) reject(new Error('the DevTools connection closed'))
      this.#pending.clear()
    })
  }

  send<T = Record<string, unknown>>(method: string, params: object = {}, sessionId?: string): Promise<T> {
    const id = ++this.#nextId
    this.#socket.send(JSON.stringify({ id, method, params, ...(sessionId === undefined ? {} : { sessionId }) }))
    return new Promise<T>((resolve, reject) => this.#pending.set(id, { resolve: (value) => resolve(value as T), reject }))
  }

  /** Every event the browser sends (a trace's Tracing.tracingComplete, say); returns the unsubscriber. */
  onEvent(listener: (method: string, params: unknown) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  close(): void {
    this.#socket.close()
  }
}

export interface CdpBrowser {
  readonly cdp: CdpConnection
  readonly version: string
  close(): Promise<void>
}

/** Chromium with a fresh profile of its own (deleted on close), headless, DevTools on a free port. */
export async function launchCdpBrowser(executablePath: string, args: readonly string[], viewport: { readonly width: number; readonly height: number }): Promise<CdpBrowser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-cdp-'))
  const child = spawn(executablePath, ['--headless=new', '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${viewport.width},${viewport.height}`, ...args, 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe']
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const removeProfile = (): void => fs.rmSync(profile, { recursive: true, force: true })
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let text = ''
      const timer = setTimeout(() => reject(new Error(`Chromium did not start: ${text.slice(-500)}`)), 15_000)
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString()
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(text)
        if (match?.[1]) {
          clearTimeout(timer)
          resolve(match[1])
        }
      })
      void exited.then(() => reject(new Error(`Chromium exited: ${text.slice(-500)}`)))
    })
    const socket = new WebSocket(url)
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve(), { once: true })
      socket.addEventListener('error', () => reject(new Error('no DevTools connection')), { once: true })
    })
    const cdp = new CdpConnection(socket)
    const { product } = await cdp.send<{ product: string }>('Browser.getVersion')
    return {
      cdp,
      version: product.replace(/^[^/]*\//, ''),
      async close() {
        cdp.close()
        child.kill()
        await exited
        removeProfile()
      }
    }
  } catch (error) {
    child.kill()
    await exited
    removeProfile()
    throw error
  }
}

export interface CdpPage {
  readonly sessionId: string
  /** Evaluates an expression in the page (promises awaited) and returns its value. */
  evaluate<T>(expression: string): Promise<T>
  navigate(url: string): Promise<void>
  close(): Promise<void>
}

/**
 * A new tab in `browserContextId` (a fresh, empty context) or, without it, in the browser's own profile, where
 * the HTTP cache and V8's code cache persist from one tab to the next (a warm start). Only Page, Runtime and
 * Emulation are used: no Network domain. `initScripts` run in every document before its own scripts.
 */
export async function openCdpPage(cdp: CdpConnection, options: { readonly browserContextId?: string; readonly viewport: { readonly width: number; readonly height: number }; readonly initScripts: readonly string[] }): Promise<CdpPage> {
  const { targetId } = await cdp.send<{ targetId: string }>('Target.createTarget', { url: 'about:blank', ...(options.browserContextId === undefined ? {} : { browserContextId: options.browserContextId }) })
  const { sessionId } = await cdp.send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true })
  await cdp.send('Emulation.setDeviceMetricsOverride', { ...options.viewport, deviceScaleFactor: 1, mobile: false }, sessionId)
  await cdp.send('Page.enable', {}, sessionId)
  for (const source of options.initScripts) await cdp.send('Page.addScriptToEvaluateOnNewDocument', { source }, sessionId)
  return {
    sessionId,
    async evaluate<T>(expression: string): Promise<T> {
      const answer = await cdp.send<{ result: { value?: unknown }; exceptionDetails?: { text: string; exception?: { description?: string } } }>(
        'Runtime.evaluate',
        { expression, awaitPromise: true, returnByValue: true },
        sessionId
      )
      if (answer.exceptionDetails) throw new Error(`in the page: ${answer.exceptionDetails.exception?.description ?? answer.exceptionDetails.text}`)
      return answer.result.value as T
    },
    async navigate(url: string): Promise<void> {
      const answer = await cdp.send<{ errorText?: string }>('Page.navigate', { url }, sessionId)
      if (answer.errorText) throw new Error(`navigation failed: ${answer.errorText}`)
    },
    async close(): Promise<void> {
      await cdp.send('Target.closeTarget', { targetId }).catch(() => undefined)
    }
  }
}

/** A fresh context (nothing cached, nothing stored): a cold start. Disposed by `dispose`. */
export async function freshContext(cdp: CdpConnection): Promise<{ readonly browserContextId: string; dispose(): Promise<void> }> {
  const { browserContextId } = await cdp.send<{ browserContextId: string }>('Target.createBrowserContext', { disposeOnDetach: true })
  return {
    browserContextId,
    dispose: async () => {
      await cdp.send('Target.disposeBrowserContext', { browserContextId }).catch(() => undefined)
    }
  }
}

/** The source text of an init script that calls `fn` (self-contained: its own text is all the page gets). */
export function initScript(fn: () => void): string {
  return `(${fn.toString()})()`
}
