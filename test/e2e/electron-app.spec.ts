// The real app under Electron, where the Electron binary is installed. On machines that cannot download it
// (like the CI here), the suite says so and skips; the same core and renderer are covered through the browser host.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test'

function electronBinary(): { path: string } | { missing: string } {
  const pkg = path.resolve('node_modules/electron')
  const pathFile = path.join(pkg, 'path.txt')
  if (!fs.existsSync(pathFile)) return { missing: `no ${path.relative('.', pathFile)}: the Electron binary was never downloaded (npm start fetches it where the network allows)` }
  const binary = path.join(pkg, 'dist', fs.readFileSync(pathFile, 'utf8'))
  return fs.existsSync(binary) ? { path: binary } : { missing: `${binary} does not exist` }
}

const found = electronBinary()
if ('missing' in found) console.log(`[electron-app] skipped: ${found.missing}`)

test.describe('the desktop app', () => {
  test.skip('missing' in found, 'missing' in found ? `Electron binary not installed: ${found.missing}` : '')

  let app: ElectronApplication
  let userData: string

  test.beforeAll(async () => {
    userData = fs.mkdtempSync(path.join(os.tmpdir(), 'larder-electron-'))
    app = await electron.launch({
      executablePath: 'path' in found ? found.path : undefined,
      args: ['out/main/index.js', `--user-data-dir=${userData}`, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, LARDER_USER_DATA: userData }
    })
  })

  test.afterAll(async () => {
    await app?.close()
    fs.rmSync(userData, { recursive: true, force: true })
  })

  test('opens a hardened window showing Larder', async () => {
    const page = await app.firstWindow()
    await expect(page.getByRole('heading', { level: 1, name: 'Larder' })).toBeVisible()
    const url = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL() ?? '')
    // Served on Larder's own scheme, never from file:// (the packaged build turns file://'s extra privileges off).
    expect(url).toBe('larder://app/index.html')
    expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined')
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined')
    expect(await page.evaluate(() => (globalThis as { larder?: { host: string } }).larder?.host)).toBe('electron')
  })
})
