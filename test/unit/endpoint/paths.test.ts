// Where the endpoint lives: the data folder's run/ when the socket's path fits a socket address, a hashed name in a
// private runtime folder when it does not (the same name on both sides), a named pipe on Windows (computed only:
// there is no Windows to run it on here).
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { endpointFor, UNIX_SOCKET_PATH_MAX } from '../../../src/main/endpoint/paths.ts'
import { tempDataDir } from './endpoint-fixture.ts'

let tmp: string
beforeEach(() => {
  tmp = tempDataDir()
})
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }))

describe('endpointFor', () => {
  it('puts the socket, key, holder note and mutex in <dataDir>/run', () => {
    const paths = endpointFor(tmp, 'linux')
    expect(paths).toEqual({
      platform: 'linux',
      runDir: path.join(tmp, 'run'),
      socket: path.join(tmp, 'run', 'larder.sock'),
      socketDir: null,
      key: path.join(tmp, 'run', 'endpoint.key'),
      holderFile: path.join(tmp, 'run', 'holder.json'),
      takeoverDir: path.join(tmp, 'run', 'takeover')
    })
  })

  it('falls back to a hashed name in a private runtime folder when the path is too long, the same for both sides', () => {
    const long = path.join(tmp, 'x'.repeat(UNIX_SOCKET_PATH_MAX))
    fs.mkdirSync(long)
    const env = { XDG_RUNTIME_DIR: '/run/user/1234' }
    const paths = endpointFor(long, 'linux', env)
    expect(paths.socketDir).toBe(`/run/user/1234/larder-${process.getuid?.() ?? 0}`)
    expect(paths.socket).toMatch(/^\/run\/user\/1234\/larder-\d+\/[0-9a-f]{20}\.sock$/)
    expect(paths.key).toBe(path.join(long, 'run', 'endpoint.key'))
    // A symbolic link to the folder names the same socket (the hash is of the real path).
    fs.symlinkSync(long, path.join(tmp, 'link'))
    expect(endpointFor(path.join(tmp, 'link'), 'linux', env).socket).toBe(paths.socket)
    expect(endpointFor(path.join(tmp, 'y'.repeat(UNIX_SOCKET_PATH_MAX)), 'linux', env).socket).not.toBe(paths.socket)
  })

  it('names a pipe on Windows from the folder and the user (computed, not run: no Windows here)', () => {
    const paths = endpointFor('C:\\Users\\p\\AppData\\Roaming\\larder', 'win32', { USERNAME: 'p' })
    expect(paths.socket).toMatch(/^\\\\\.\\pipe\\larder-[0-9a-f]{20}$/)
    expect(paths.key).toBe('C:\\Users\\p\\AppData\\Roaming\\larder\\run\\endpoint.key')
    expect(endpointFor('c:\\users\\p\\appdata\\roaming\\larder', 'win32', { USERNAME: 'p' }).socket).toBe(paths.socket)
  })
})
