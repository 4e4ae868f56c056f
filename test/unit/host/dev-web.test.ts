// The development host (`npm run dev:web`): a real folder is never protected by the public default passphrase, and
// no answer of its HTTP server may be framed by another page.
import { execFile } from 'node:child_process'
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assembleCore, type AssembledCore } from '../../browser-host/assemble.ts'
import { BRIDGE_SCRIPT_PATH, startBrowserHost, type BrowserHost } from '../../browser-host/host.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'

const CLI = path.resolve(import.meta.dirname, '../../browser-host/cli.ts')

function runCli(args: readonly string[], env: Record<string, string | undefined>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const childEnv: Record<string, string> = {}
  for (const [key, value] of Object.entries({ ...process.env, ...env })) if (value !== undefined) childEnv[key] = value
  return new Promise((resolve) => {
    execFile(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { encoding: 'utf8', timeout: 15_000, env: childEnv }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr })
    })
  })
}

let tmp: string
let assembled: AssembledCore
let host: BrowserHost
let port: number

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-dev-web-'))
  const rendererDir = path.join(tmp, 'renderer')
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true })
  fs.writeFileSync(
    path.join(rendererDir, 'index.html'),
    `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; connect-src 'self'"></head><body></body></html>`
  )
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)\n')
  assembled = await assembleCore({ dataDir: path.join(tmp, 'data'), scryptCost: FAST_SCRYPT, passphrase: 'a passphrase for this test' })
  host = await startBrowserHost({ app: assembled.app, rendererDir })
  port = Number(new URL(host.url).port)
})

afterAll(async () => {
  await host?.close()
  await assembled?.close()
  fs.rmSync(tmp, { recursive: true, force: true })
})

function get(pathname: string, options: { method?: string; host?: string } = {}): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: options.method ?? 'GET', headers: { host: options.host ?? `127.0.0.1:${port}` } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('dev:web --data', () => {
  it.each([
    ['not set', undefined],
    ['empty', '']
  ])('refuses to start with LARDER_DEV_PASSPHRASE %s, in one sentence, before touching the folder', async (_what, passphrase) => {
    const dataDir = path.join(tmp, `kept-${passphrase === undefined ? 'unset' : 'empty'}`)
    const result = await runCli(['--data', dataDir], { LARDER_DEV_PASSPHRASE: passphrase })
    expect(result.status).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^dev:web: --data keeps a real vault: set LARDER_DEV_PASSPHRASE to its passphrase \(the public default protects only the temporary demo vault\)\.$/)
    expect(fs.existsSync(dataDir)).toBe(false)
  })
})

describe('the dev host refuses to be framed', () => {
  it.each([
    ['the page', '/', 200],
    ['an asset', '/assets/app.js', 200],
    ['the bridge script', BRIDGE_SCRIPT_PATH, 200],
    ['a missing file', '/nope.js', 404],
    ['a traversal', '/..%2f..%2fetc/passwd', 404]
  ])('%s: frame-ancestors none and X-Frame-Options DENY', async (_what, pathname, status) => {
    const res = await get(pathname)
    expect(res.statusCode).toBe(status)
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(String(res.headers['content-security-policy']).split('; ')).toContain("frame-ancestors 'none'")
  })

  it('the page keeps its own policy, with the socket added, and frame-ancestors merged in once', async () => {
    const res = await get('/')
    expect(res.headers['content-security-policy']).toBe(`default-src 'none'; script-src 'self'; connect-src 'self' ws://127.0.0.1:${port}; frame-ancestors 'none'`)
  })

  it.each([
    ['a foreign Host header', { host: 'evil.example' }, 403],
    ['another method', { method: 'POST' }, 405]
  ])('refusals too: %s', async (_what, options, status) => {
    const res = await get('/', options)
    expect(res.statusCode).toBe(status)
    expect(res.headers['x-frame-options']).toBe('DENY')
    expect(String(res.headers['content-security-policy']).split('; ')).toContain("frame-ancestors 'none'")
  })
})
