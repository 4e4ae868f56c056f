// How much JavaScript the dashboard is: what the page loads before its first list (the entry and what it
// preloads), and everything the build holds (the views and dialogs loaded when first opened included). Bytes as
// built (minified, not compressed), read from the build folder for the scripts the page asked for.
import { readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { Browser } from '@playwright/test'
import { installFakeBridge, manyLibraries } from '../../test/e2e/support/fake-bridge.ts'
import type { BundleResult } from './settings.ts'
import { VIEWPORT } from './settings.ts'

const kB = (bytes: number): number => Math.round(bytes / 100) / 10

/** Every .js file under `dir`, with its size. */
async function scriptsIn(dir: string): Promise<{ readonly name: string; readonly bytes: number }[]> {
  const found: { name: string; bytes: number }[] = []
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue
    const file = path.join(entry.parentPath, entry.name)
    found.push({ name: path.relative(dir, file).split(path.sep).join('/'), bytes: (await stat(file)).size })
  }
  return found
}

export async function measureBundle(browser: Browser, serverUrl: string, rendererDir: string): Promise<BundleResult> {
  const all = await scriptsIn(rendererDir)
  const context = await browser.newContext({ viewport: VIEWPORT })
  try {
    const page = await context.newPage()
    const asked = new Set<string>()
    page.on('request', (request) => {
      const url = new URL(request.url())
      if (url.pathname.endsWith('.js')) asked.add(decodeURIComponent(url.pathname).replace(/^\//, ''))
    })
    await installFakeBridge(page, { libraries: manyLibraries(50, Date.now()) })
    await page.goto(serverUrl)
    await page.waitForSelector('.library-row', { timeout: 10_000 })
    await page.waitForLoadState('networkidle')
    const atStart = all.filter((script) => asked.has(script.name))
    if (atStart.length === 0) throw new Error(`the page loaded none of the scripts in ${rendererDir}`)
    return {
      startKb: kB(atStart.reduce((sum, script) => sum + script.bytes, 0)),
      totalKb: kB(all.reduce((sum, script) => sum + script.bytes, 0)),
      startFiles: atStart.length,
      totalFiles: all.length
    }
  } finally {
    await context.close()
  }
}
