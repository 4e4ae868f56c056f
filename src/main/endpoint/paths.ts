// Where a data folder's endpoint lives. Unix: a socket in `<dataDir>/run/` (a folder of the user's own, 0700), or,
// when that path is too long for a socket address, a hashed name in a private folder of the runtime directory. Windows:
// a named pipe named by a hash of the folder and the user (computed here, untested: there is no Windows CI). The key
// that proves both ends know the folder always stays in the data folder.
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Socket addresses are short (macOS `sun_path` holds 104 bytes, Linux 108); past this the fallback is used. */
export const UNIX_SOCKET_PATH_MAX = 100

export interface EndpointPaths {
  readonly platform: NodeJS.Platform
  /** `<dataDir>/run`: the key, the holder's note, the takeover mutex and (usually) the socket. */
  readonly runDir: string
  /** The socket's path, or the pipe's name on Windows. */
  readonly socket: string
  /** The folder the socket lives in when it is not `runDir` (the long-path fallback); checked like `runDir`. */
  readonly socketDir: string | null
  /** 32 random bytes, 0600, written fresh by each holder. */
  readonly key: string
  /** `{ host, pid, version, startedAt }` for messages only (who holds the folder). */
  readonly holderFile: string
  /** Made with mkdir as the mutex for taking over a stale socket. */
  readonly takeoverDir: string
}

/** The folder's real path, so a symbolic link to it and the folder itself name the same endpoint. */
function realFolder(dataDir: string, platform: NodeJS.Platform): string {
  try {
    return fs.realpathSync.native(dataDir)
  } catch {
    return (platform === 'win32' ? path.win32 : path.posix).resolve(dataDir)
  }
}

const hashOf = (text: string): string => crypto.createHash('sha256').update(text).digest('hex').slice(0, 20)

function userName(env: NodeJS.ProcessEnv): string {
  try {
    return os.userInfo().username
  } catch {
    return env['USERNAME'] ?? env['USER'] ?? ''
  }
}

export function endpointFor(folder: string, platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): EndpointPaths {
  const paths = platform === 'win32' ? path.win32 : path.posix
  const dataDir = realFolder(folder, platform)
  const runDir = paths.join(dataDir, 'run')
  const common = {
    platform,
    runDir,
    key: paths.join(runDir, 'endpoint.key'),
    holderFile: paths.join(runDir, 'holder.json'),
    takeoverDir: paths.join(runDir, 'takeover')
  }
  if (platform === 'win32') {
    const name = hashOf(dataDir.toLowerCase() + userName(env).toLowerCase())
    return { ...common, socket: `\\\\.\\pipe\\larder-${name}`, socketDir: null }
  }
  const socket = paths.join(runDir, 'larder.sock')
  if (Buffer.byteLength(socket) <= UNIX_SOCKET_PATH_MAX) return { ...common, socket, socketDir: null }
  const runtime = env['XDG_RUNTIME_DIR'] !== undefined && env['XDG_RUNTIME_DIR'] !== '' ? env['XDG_RUNTIME_DIR'] : os.tmpdir()
  const socketDir = paths.join(runtime, `larder-${process.getuid?.() ?? 0}`)
  return { ...common, socket: paths.join(socketDir, `${hashOf(dataDir)}.sock`), socketDir }
}
