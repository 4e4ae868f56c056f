// What `npm run dev:web` prints for a person trying Larder (issue 19 item 3): one library ready to add and the
// partner application to connect a personal token with, both unused and working against this run's sandbox; a
// seed of its own per run (so a second sandbox never holds the first one's credentials); an admin URL that answers.
// The output holds test credentials: assertions compare them as booleans, so a failure never prints one.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CLI = path.resolve(import.meta.dirname, '../../browser-host/cli.ts')

interface Printed {
  readonly lines: readonly string[]
  readonly api: string
  readonly seed: string
  readonly admin: string
  /** The labelled lines of a section, by label ("client ID" → value). */
  section(title: RegExp): Record<string, string>
}

const children: ChildProcess[] = []
let rendererDir: string | null = null

/** A folder with an index.html, in place of the built dashboard. */
function standInRenderer(): string {
  if (rendererDir === null) {
    rendererDir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-stand-in-renderer-'))
    fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Larder</title>\n')
  }
  return rendererDir
}

/** Starts the real CLI and answers once it printed the URL to open. */
function startCli(...args: string[]): Promise<Printed> {
  // What is printed does not depend on the page, so a stand-in page serves: this runs before the renderer is built.
  const env = { ...process.env, LARDER_RENDERER_DIR: standInRenderer() }
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
  children.push(child)
  let out = ''
  let err = ''
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev:web printed no URL in time; stderr: ${err.slice(0, 500)}`)), 30_000)
    child.on('exit', (code) => reject(new Error(`dev:web exited (${code}); stderr: ${err.slice(0, 500)}`)))
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk
      if (!/#bridge=\S+\n/.test(out)) return
      clearTimeout(timer)
      resolve(parse(out.split('\n')))
    })
  })
}

function parse(lines: readonly string[]): Printed {
  const value = (pattern: RegExp): string => {
    for (const line of lines) {
      const match = pattern.exec(line)
      if (match?.[1] !== undefined) return match[1]
    }
    return ''
  }
  return {
    lines,
    api: value(/^\s+API:\s+(http\S+)/),
    seed: value(/\bseed (\d+)\b/),
    admin: value(/^\s+admin:\s+(http\S+)/),
    section(title) {
      const start = lines.findIndex((line) => title.test(line))
      const fields: Record<string, string> = {}
      if (start < 0) return fields
      for (const line of lines.slice(start + 1)) {
        const match = /^\s+([A-Za-z][A-Za-z ]*?):\s+(\S+)/.exec(line)
        if (match === null) break
        fields[match[1]!] = match[2]!
      }
      return fields
    }
  }
}

const READY = /^Ready to add/
const PARTNER = /^Connect a personal token/

let first: Printed
let second: Printed

beforeAll(async () => {
  ;[first, second] = await Promise.all([startCli(), startCli()])
}, 60_000)

afterAll(async () => {
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve()
          child.once('exit', () => resolve())
          child.kill('SIGINT')
        })
    )
  )
  if (rendererDir !== null) fs.rmSync(rendererDir, { recursive: true, force: true })
})

async function form(url: string, fields: Record<string, string>): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() })
  await response.arrayBuffer()
  return response.status
}

describe('npm run dev:web prints what a person needs to try Larder', () => {
  it('one library ready to add: every field of the add form, unused, and not already in the vault', async () => {
    const ready = first.section(READY)
    expect(Object.keys(ready)).toEqual(['name', 'token type', 'client ID', 'client secret', 'access token', 'refresh token', 'API base URL'])
    expect(ready['API base URL']).toBe(first.api)
    const opaque = (text: string | undefined): boolean => /^[A-Za-z0-9]{30,60}$/.test(text ?? '')
    expect([ready['client secret'], ready['access token'], ready['refresh token']].map(opaque)).toEqual([true, true, true])
    // Not one of the libraries the vault already holds (those are listed by name, each with its state).
    const inVault = first.lines.filter((line) => /^ {2}\S.*\s{2,}(Healthy|Expiring soon|Refresh failed|Needs re-authorization|Revoked)\b/.test(line))
    expect(inVault.length).toBeGreaterThanOrEqual(5)
    expect(inVault.some((line) => line.trim().startsWith(`${ready['name']} `))).toBe(false)
    // Its refresh token has never been used: the sandbox refreshes it.
    const status = await form(`${first.api}/oauth/token/`, {
      grant_type: 'refresh_token',
      client_id: ready['client ID'] ?? '',
      client_secret: ready['client secret'] ?? '',
      refresh_token: ready['refresh token'] ?? ''
    })
    expect(status).toBe(200)
  })

  it("the OAuth client for a personal token is the sandbox's partner application, and its secret works", async () => {
    const partner = second.section(PARTNER)
    expect(Object.keys(partner)).toEqual(expect.arrayContaining(['client ID', 'client secret', 'API base URL']))
    expect(partner['API base URL']).toBe(second.api)
    const authorize = new URL(`${second.api}/oauth/authorize/`)
    authorize.search = new URLSearchParams({ client_id: partner['client ID'] ?? '', response_type: 'code', redirect_uri: 'http://127.0.0.1:9/cb' }).toString()
    const approved = await fetch(authorize, { redirect: 'manual' })
    const code = new URL(approved.headers.get('location') ?? 'http://x/').searchParams.get('code') ?? ''
    expect(code).not.toBe('')
    const status = await form(`${second.api}/oauth/token/`, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: 'http://127.0.0.1:9/cb',
      client_id: partner['client ID'] ?? '',
      client_secret: partner['client secret'] ?? ''
    })
    expect(status).toBe(200)
  })

  it('two runs have separate data: their own seeds, no credential in common', () => {
    expect(first.seed).toMatch(/^\d+$/)
    expect(second.seed).toMatch(/^\d+$/)
    expect(first.seed === second.seed).toBe(false)
    const secrets = (printed: Printed): string[] => [
      ...Object.values(printed.section(READY)).filter((value) => /^[A-Za-z0-9]{30,60}$/.test(value)),
      ...Object.values(printed.section(PARTNER)).filter((value) => /^[A-Za-z0-9]{30,60}$/.test(value))
    ]
    const a = secrets(first)
    const b = secrets(second)
    expect(a.length).toBeGreaterThanOrEqual(5)
    expect(a.some((secret) => b.includes(secret))).toBe(false)
  })

  it('--seed N is printed back and gives that seed', async () => {
    const seeded = await startCli('--seed', '4242')
    expect(seeded.seed).toBe('4242')
  }, 40_000)

  it('the printed admin URL answers 200 with the admin endpoints', async () => {
    expect(first.admin).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/__sandbox\/$/)
    const response = await fetch(first.admin)
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('clock/')
  })
})
