// The privacy checks on real folders, sockets and files with real modes: what passes, what is refused, and that
// the refusal names the path, the owner and mode found, and the fix.
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkPrivateDir, checkPrivateFile, checkPrivateSocket, UnsafeEndpointError } from '../../../src/main/endpoint/checks.ts'
import { tempDataDir } from './endpoint-fixture.ts'

const unix = process.platform !== 'win32'
let tmp: string
const servers: net.Server[] = []
beforeEach(() => {
  tmp = tempDataDir()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
  fs.rmSync(tmp, { recursive: true, force: true })
})

function refusal(check: () => void): UnsafeEndpointError {
  try {
    check()
  } catch (error) {
    if (error instanceof UnsafeEndpointError) return error
    throw error
  }
  throw new Error('expected the check to refuse')
}

async function socketAt(file: string, mode: number): Promise<void> {
  const server = net.createServer()
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(file, resolve))
  fs.chmodSync(file, mode)
}

describe.runIf(unix)('checkPrivateDir', () => {
  it('accepts a folder of ours with mode 0700', () => {
    const dir = path.join(tmp, 'run')
    fs.mkdirSync(dir, { mode: 0o700 })
    expect(() => checkPrivateDir(dir)).not.toThrow()
  })

  it('refuses a folder open to group or others, naming path, owner, mode and the fix, and leaves it as it was', () => {
    const dir = path.join(tmp, 'run')
    fs.mkdirSync(dir)
    fs.chmodSync(dir, 0o755)
    const error = refusal(() => checkPrivateDir(dir))
    expect(error.path).toBe(dir)
    expect(error.mode).toBe(0o755)
    expect(error.owner).toBe(process.getuid?.())
    expect(error.message).toContain('0755')
    expect(error.fix).toContain(`chmod 700 '${dir}'`)
    expect(fs.statSync(dir).mode & 0o777).toBe(0o755)
    fs.chmodSync(dir, 0o710)
    expect(refusal(() => checkPrivateDir(dir)).mode).toBe(0o710)
  })

  it('refuses a symbolic link to a private folder, and a file', () => {
    const real = path.join(tmp, 'elsewhere')
    fs.mkdirSync(real, { mode: 0o700 })
    fs.symlinkSync(real, path.join(tmp, 'run'))
    expect(refusal(() => checkPrivateDir(path.join(tmp, 'run'))).message).toContain('symbolic link')
    fs.writeFileSync(path.join(tmp, 'file'), '', { mode: 0o600 })
    expect(refusal(() => checkPrivateDir(path.join(tmp, 'file'))).message).toContain('not a folder')
  })

  it.runIf(process.getuid?.() === 0)('refuses a folder owned by another user (root only: chown)', () => {
    const dir = path.join(tmp, 'run')
    fs.mkdirSync(dir, { mode: 0o700 })
    fs.chownSync(dir, 65534, 65534)
    const error = refusal(() => checkPrivateDir(dir))
    expect(error.owner).toBe(65534)
    expect(error.message).toContain('belongs to uid 65534')
  })

  it('throws ENOENT for a missing folder (the client reads it as "not running")', () => {
    expect(() => checkPrivateDir(path.join(tmp, 'missing'))).toThrow(expect.objectContaining({ code: 'ENOENT' }))
  })
})

describe.runIf(unix)('checkPrivateSocket and checkPrivateFile', () => {
  it('accepts a socket 0600 and refuses one 0644 or 0666', async () => {
    const file = path.join(tmp, 's.sock')
    await socketAt(file, 0o600)
    expect(() => checkPrivateSocket(file)).not.toThrow()
    fs.chmodSync(file, 0o644)
    expect(refusal(() => checkPrivateSocket(file)).mode).toBe(0o644)
    fs.chmodSync(file, 0o666)
    const error = refusal(() => checkPrivateSocket(file))
    expect(error.mode).toBe(0o666)
    expect(error.fix).toContain('chmod 600')
  })

  it('refuses a regular file where the socket should be', () => {
    const file = path.join(tmp, 's.sock')
    fs.writeFileSync(file, '', { mode: 0o600 })
    expect(refusal(() => checkPrivateSocket(file)).message).toContain('not a socket')
  })

  it('accepts a key file 0600 and refuses one 0640 or a symbolic link to it', () => {
    const file = path.join(tmp, 'endpoint.key')
    fs.writeFileSync(file, Buffer.alloc(32), { mode: 0o600 })
    expect(() => checkPrivateFile(file)).not.toThrow()
    fs.symlinkSync(file, path.join(tmp, 'link.key'))
    expect(refusal(() => checkPrivateFile(path.join(tmp, 'link.key'))).message).toContain('not a regular file')
    fs.chmodSync(file, 0o640)
    expect(refusal(() => checkPrivateFile(file)).mode).toBe(0o640)
  })
})
