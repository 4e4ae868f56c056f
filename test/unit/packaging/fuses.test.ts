import fs from 'node:fs'
import { describe, expect, it } from 'vitest'

// The packaged app flips Electron's fuses at build time (electron-builder's `electronFuses`). A fuse left at its
// default silently re-opens a door, so this reads the packaging config and insists on each one.
const config = JSON.parse(fs.readFileSync('electron-builder.json', 'utf8')) as {
  asar?: boolean
  files?: string[]
  extraResources?: { from: string; to: string }[]
  electronFuses?: Record<string, boolean>
}

describe('packaged app fuses', () => {
  it.each([
    ['runAsNode', false, 'ELECTRON_RUN_AS_NODE would turn the app into a plain Node with our identity'],
    ['enableNodeOptionsEnvironmentVariable', false, 'NODE_OPTIONS could inject code into the main process'],
    ['enableNodeCliInspectArguments', false, '--inspect would open a debugger on the process holding the secrets'],
    ['enableEmbeddedAsarIntegrityValidation', true, 'a modified app.asar must not load'],
    ['onlyLoadAppFromAsar', true, 'the app must not be replaced by a loose folder next to it'],
    ['enableCookieEncryption', true, 'cookies at rest are encrypted with the OS keychain'],
    ['grantFileProtocolExtraPrivileges', false, 'the page is served on larder://, so file:// pages get no more than in a browser']
  ])('%s is %s (%s)', (fuse, expected) => {
    expect(config.electronFuses?.[fuse]).toBe(expected)
  })

  it('ships the app in an asar archive, built output only', () => {
    expect(config.asar).toBe(true)
    // The `larder` command goes beside the archive (resources/cli), where a system Node can run it.
    expect(config.files).toEqual(['out/**/*', '!out/cli/**', 'package.json'])
    expect(config.extraResources).toEqual([{ from: 'out/cli', to: 'cli' }])
  })
})
