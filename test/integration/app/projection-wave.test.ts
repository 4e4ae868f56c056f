// A refresh wave through the whole app: every view a host sees is built once per turn it changed in, and the tray's
// summary is rebuilt a bounded number of times, so the work grows with the number of libraries, not its square.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Conf from 'conf'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { LibraryView } from '../../../src/shared/contract.ts'
import { createLarderApp, type LarderApp } from '../../../src/main/app/create-app.ts'
import { FRAME_MS } from '../../../src/main/app/projection.ts'
import { createPassphraseCipher } from '../../../src/main/core/vault/index.ts'
import { startSandbox, type Sandbox } from '../../sandbox/index.ts'
import { checkEvents } from '../../support/contract-check.ts'
import { FAST_SCRYPT } from '../../support/core-harness.ts'
import { sandboxLibraryRecord } from '../../support/sandbox-records.ts'

/** Whole library views built (a window gets rows; the tray and notifications read a few fields). */
const wholeViews = vi.hoisted(() => ({ built: 0 }))
vi.mock('../../../src/main/app/views.ts', async (importOriginal) => {
  const views = await importOriginal<typeof import('../../../src/main/app/views.ts')>()
  return {
    ...views,
    toLibraryView: (...args: Parameters<typeof views.toLibraryView>) => {
      wholeViews.built++
      return views.toLibraryView(...args)
    }
  }
})

interface Wave {
  readonly libraries: number
  /** Views built by the projection during the wave. */
  readonly viewsBuilt: number
  /** Whole views built during the wave (none: the projection builds rows). */
  readonly wholeViewsBuilt: number
  /** Batches the projection handed out during the wave. */
  readonly batches: number
  /** Library entries handed to the tray during the wave, summed over its rebuilds. */
  readonly trayWork: number
  readonly trayUpdates: number
  readonly changedEvents: number
  readonly waveMs: number
}

const open: Array<{ app: LarderApp; sandbox: Sandbox; dir: string }> = []
afterEach(async () => {
  for (const { app, sandbox, dir } of open.splice(0)) {
    await app.close()
    await sandbox.close()
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

async function refreshWave(libraries: number): Promise<Wave> {
  const sandbox = await startSandbox({ rateLimitPerMinute: false })
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-wave-'))
  const { cipher } = await createPassphraseCipher('wave passphrase', undefined, { cost: FAST_SCRYPT })
  let trayWork = 0
  let trayUpdates = 0
  const app = createLarderApp({
    info: { name: 'Larder', version: 'test', host: 'browser' },
    storage: { vaultPath: path.join(dir, 'vault.json'), auditPath: path.join(dir, 'audit.jsonl'), openStore: () => new Conf({ cwd: dir, configName: 'vault' }) },
    keychain: cipher,
    clipboard: { copySecret: () => ({ clearsAt: null }) },
    tray: {
      update: (views: readonly LibraryView[]) => {
        trayUpdates++
        trayWork += views.length
      },
      destroy: () => undefined
    }
  })
  open.push({ app, sandbox, dir })
  expect((await app.start()).state).toBe('open')
  const core = app.core()!
  const ids: string[] = []
  for (let i = 0; i < libraries; i++) {
    const credentials = sandbox.addLibraryWithApplication({ name: `Wave ${i}` })
    const record = sandboxLibraryRecord(credentials, { id: `wave-${i}`, apiBaseUrl: sandbox.url, issuedAt: Date.now() })
    await core.vault.add(record.meta, record.secrets)
    ids.push(record.meta.id)
  }
  await new Promise((resolve) => setImmediate(resolve))
  const events = checkEvents(app.events)
  const before = { whole: wholeViews.built, views: app.projection()!.stats().viewsBuilt, batches: app.projection()!.stats().batches, trayWork, trayUpdates }

  const started = performance.now()
  await Promise.all(ids.map((id) => core.engine.refresh(id)))
  await new Promise((resolve) => setImmediate(resolve))
  const waveMs = performance.now() - started
  // The last batch of a burst goes out at the end of its frame (the projection's pace): wait for it.
  await new Promise((resolve) => setTimeout(resolve, 2 * FRAME_MS))

  const statuses = events.of('library.changed').filter((view) => view.id.startsWith('wave-'))
  expect(new Set(statuses.map((view) => view.id)).size).toBe(libraries)
  events.dispose()
  return {
    libraries,
    viewsBuilt: app.projection()!.stats().viewsBuilt - before.views,
    batches: app.projection()!.stats().batches - before.batches,
    wholeViewsBuilt: wholeViews.built - before.whole,
    trayWork: trayWork - before.trayWork,
    trayUpdates: trayUpdates - before.trayUpdates,
    changedEvents: statuses.length,
    waveMs
  }
}

describe('a refresh wave through the app', () => {
  it('does view work in proportion to the libraries refreshed (O(n)), not the square of it', async () => {
    const small = await refreshWave(250)
    const large = await refreshWave(1000)
    console.log(`refresh waves: ${JSON.stringify(small)} ${JSON.stringify(large)}`)
    for (const wave of [small, large]) {
      // Each library is seen refreshing and then refreshed: a few views each, however the turns fell.
      expect(wave.viewsBuilt).toBeLessThanOrEqual(4 * wave.libraries)
      expect(wave.changedEvents).toBeLessThanOrEqual(4 * wave.libraries)
      // The tray's summary is rebuilt at most once a second whatever the number of changes (a rebuild per change
      // would hand it n × n entries): the first change at once, then once a second while changes keep coming.
      expect(wave.trayUpdates).toBeLessThanOrEqual(Math.ceil(wave.waveMs / 1000) + 1)
      expect(wave.trayWork).toBeLessThanOrEqual(wave.trayUpdates * wave.libraries)
    }
    // Rows, not whole views: only this tray, which builds its own summary, is handed whole views, on its rebuilds.
    for (const wave of [small, large]) expect(wave.wholeViewsBuilt).toBe(wave.trayWork)
    // One batch a frame while the wave goes on, not one a turn (the first at once, the last at its frame's end).
    for (const wave of [small, large]) expect(wave.batches).toBeLessThanOrEqual(Math.ceil(wave.waveMs / FRAME_MS) + 2)
    // Four times the libraries, about four times the work (a quadratic producer would be sixteen times).
    expect(large.viewsBuilt / small.viewsBuilt).toBeLessThan(6)
  }, 60_000)
})
