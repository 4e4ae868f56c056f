// `npm run dev:web` as a person uses it: start the CLI, open the URL it prints, find one library in each state, added
// (and refreshed, revoked) through the app's own use cases against the sandbox; Ctrl+C stops it cleanly and removes
// its temporary data folder.
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test } from '@playwright/test'
import type { CallResult, LarderBridge } from '../../src/shared/contract.ts'
import { DEMO_STATES } from '../support/demo-states.ts'

const CLI = path.resolve('test/browser-host/cli.ts')

interface Started {
  readonly child: ChildProcess
  readonly lines: string[]
  readonly exited: Promise<number | null>
}

// A kept vault (--data) needs its own passphrase; the public default is for the temporary demo vault only.
const KEPT_VAULT_PASSPHRASE = 'a passphrase for the dev-web test vault'

function startCli(...args: string[]): Started {
  const env = { ...process.env, ...(args.includes('--data') ? { LARDER_DEV_PASSPHRASE: KEPT_VAULT_PASSPHRASE } : {}) }
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env })
  const lines: string[] = []
  let buffered = ''
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk
    const parts = buffered.split('\n')
    buffered = parts.pop() ?? ''
    lines.push(...parts)
  })
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => lines.push(...chunk.split('\n').map((l) => `stderr: ${l}`)))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, lines, exited }
}

test('dev:web serves the renderer on the sandbox with its seeded libraries, and stops cleanly on SIGINT', async ({ page }) => {
  test.setTimeout(60_000)
  const cli = startCli()
  try {
    await expect.poll(() => cli.lines.find((l) => l.includes('#bridge=')), { timeout: 30_000 }).toBeTruthy()
    const url = cli.lines.find((l) => l.includes('#bridge=')) ?? ''
    // The URL to open stands on a line of its own.
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#bridge=[A-Za-z0-9_-]{43}$/)
    expect(cli.lines.some((l) => /^\s+API:\s+http:\/\/127\.0\.0\.1:\d+ \(the Apicbase sandbox/.test(l))).toBe(true)
    expect(cli.lines.filter((l) => l.startsWith('stderr:') && l.trim() !== 'stderr:')).toEqual([])
    const dataLine = cli.lines.find((l) => l.trim().startsWith('data:')) ?? ''
    const dataDir = /data:\s+(\S+)/.exec(dataLine)?.[1] ?? ''
    expect(fs.existsSync(path.join(dataDir, 'vault.json'))).toBe(true)

    await page.goto(url)
    await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
    const [state, list] = await page.evaluate(async () => {
      const larder = (globalThis as unknown as { larder: LarderBridge }).larder
      return [await larder.call('vault.state', {}), await larder.call('libraries.list', {})] as const
    })
    expect(state).toEqual({ ok: true, value: { state: 'open', cipher: 'passphrase' } } satisfies CallResult<'vault.state'>)
    // Issue 19 item 4: one library in each state (it used to be four healthy ones), reached through the app's own use
    // cases against the sandbox; the dashboard shows one row per state.
    expect(list.ok && Object.fromEntries(list.value.map((l) => [l.name, l.status]))).toEqual(DEMO_STATES)
    // The sandbox's vault is a demo: the page says so (issue 19 item 6), driven by the host's app.info.
    await expect(page.getByRole('note', { name: 'Demo' })).toHaveText('Demo — not your real vault; the API is a stand-in on this computer')
    expect(await page.title()).toBe('Larder — Demo')
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme })
      const banner = await new AxeBuilder({ page }).include('[role="note"]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze()
      expect(banner.violations.map((v) => `${scheme}: ${v.id}`)).toEqual([])
    }
    const rows = page.getByRole('grid', { name: 'Libraries' }).getByRole('row')
    // The header row, one row per library, and one per key of the customer's other systems (seeded against their
    // stand-ins on this computer: src/main/demo/seed-keys.ts).
    await expect(rows).toHaveCount(1 + 7 + 7)
    for (const [name, shown] of [
      ['Brasserie Nord', 'Healthy'],
      ['Trattoria Oost', 'Expiring soon'],
      ['Grill Haven', 'Error'],
      ['Bakkerij Brug', 'Needs re-authorization'],
      ['Pizzeria Dijk', 'Revoked'],
      ['Grill Haven audits', 'Expiring soon'],
      ['Reports base', 'Needs re-authorization'],
      ['Platform sync (staging)', 'Revoked']
    ] as const) {
      await expect(rows.filter({ hasText: name }).getByText(shown, { exact: true })).toBeVisible()
    }
    expect(cli.lines.some((l) => l.includes('other systems: SafetyCulture http://127.0.0.1:'))).toBe(true)
    // The library printed "ready to add" is not among them; the terminal printed the partner application too.
    const ready = cli.lines.findIndex((l) => l.startsWith('Ready to add'))
    const readyName = /name:\s+(.+)$/.exec(cli.lines[ready + 1] ?? '')?.[1] ?? ''
    expect(readyName).toBe('Tapas Plein')
    expect(list.ok && list.value.some((l) => l.name === readyName)).toBe(false)
    expect(cli.lines.some((l) => l.startsWith('Connect a personal token'))).toBe(true)

    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    expect(fs.existsSync(dataDir)).toBe(false)
  } finally {
    if (cli.child.exitCode === null) cli.child.kill('SIGKILL')
  }
})

test('--data keeps the vault across runs (reopened with LARDER_DEV_PASSPHRASE); --api-url adds nothing', async ({ page }) => {
  test.setTimeout(90_000)
  const dataDir = fs.mkdtempSync(path.join(fs.realpathSync(os.tmpdir()), 'larder-devweb-'))
  const open = async (...args: string[]): Promise<{ cli: Started; names: string[]; defaultApiBaseUrl: string }> => {
    const cli = startCli('--data', dataDir, ...args)
    await expect.poll(() => cli.lines.find((l) => l.includes('#bridge=')), { timeout: 30_000 }).toBeTruthy()
    await page.goto(cli.lines.find((l) => l.includes('#bridge=')) ?? '')
    const [list, settings] = await page.evaluate(async () => {
      const larder = (globalThis as unknown as { larder: LarderBridge }).larder
      return [await larder.call('libraries.list', {}), await larder.call('settings.get', {})] as const
    })
    if (!list.ok || !settings.ok) throw new Error('a call failed')
    return { cli, names: list.value.map((l) => l.name), defaultApiBaseUrl: settings.value.defaultApiBaseUrl }
  }
  const stop = async (cli: Started): Promise<void> => {
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
  }
  try {
    const empty = await open('--api-url', 'http://127.0.0.1:9')
    expect(empty.names).toEqual([])
    expect(empty.defaultApiBaseUrl).toBe('http://127.0.0.1:9')
    await stop(empty.cli)

    const seeded = await open()
    expect(seeded.names).toHaveLength(7)
    await stop(seeded.cli)
    expect(fs.existsSync(path.join(dataDir, 'vault.json'))).toBe(true)

    const again = await open('--api-url', 'http://127.0.0.1:9')
    expect(again.names).toEqual(seeded.names)
    await stop(again.cli)
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
})
