// The endpoint is private because its folder and socket are: owned by this user, no group or other bits, and the
// folder not a symbolic link (lstat, so a link planted in its place is seen, not followed). Both ends check; neither
// ever repairs what it finds, it refuses and says what to do. Windows has no modes here: the pipe's mac is the check.
import fs from 'node:fs'

/** The endpoint's folder, socket or key is not private: serving or connecting would expose tokens to others. */
export class UnsafeEndpointError extends Error {
  override readonly name = 'UnsafeEndpointError'
  readonly path: string
  /** The owner's uid found, or null when the file's kind alone was wrong. */
  readonly owner: number | null
  /** The permission bits found (`mode & 0o7777`). */
  readonly mode: number | null
  readonly fix: string
  constructor(options: { path: string; problem: string; owner: number | null; mode: number | null; fix: string }) {
    const found = options.mode === null ? '' : ` (owner uid ${options.owner}, mode ${octal(options.mode)})`
    super(`Refusing the Larder endpoint at ${options.path}: ${options.problem}${found}. ${options.fix}`)
    this.path = options.path
    this.owner = options.owner
    this.mode = options.mode
    this.fix = options.fix
  }
}

export const octal = (mode: number): string => `0${(mode & 0o7777).toString(8).padStart(3, '0')}`

/** Modes are not checked where there are no uids (Windows). */
const ownUid = (): number | null => process.getuid?.() ?? null

const quote = (file: string): string => `'${file.replaceAll("'", `'\\''`)}'`

function refuseUnlessPrivate(file: string, stats: fs.Stats, uid: number, what: string, privateMode: string): void {
  const mode = stats.mode & 0o7777
  if (stats.uid !== uid) {
    throw new UnsafeEndpointError({
      path: file,
      problem: `the ${what} belongs to uid ${stats.uid}, not to you (uid ${uid})`,
      owner: stats.uid,
      mode,
      fix: `Quit Larder, remove it (rm -r ${quote(file)}) and start Larder again.`
    })
  }
  if ((mode & 0o077) !== 0) {
    throw new UnsafeEndpointError({
      path: file,
      problem: `the ${what} is open to your group or others`,
      owner: stats.uid,
      mode,
      fix: `Make it private (chmod ${privateMode} ${quote(file)}), or quit Larder, remove it and start Larder again.`
    })
  }
}

/** A folder of this user's own with mode 0700 or stricter, not a symbolic link. Throws ENOENT as Node does. */
export function checkPrivateDir(dir: string): void {
  const uid = ownUid()
  if (uid === null) return
  const stats = fs.lstatSync(dir)
  if (stats.isSymbolicLink() || !stats.isDirectory()) {
    throw new UnsafeEndpointError({
      path: dir,
      problem: stats.isSymbolicLink() ? 'it is a symbolic link, not a folder' : 'it is not a folder',
      owner: stats.uid,
      mode: stats.mode & 0o7777,
      fix: `Quit Larder, remove it (rm ${quote(dir)}) and start Larder again; it makes a private folder there.`
    })
  }
  refuseUnlessPrivate(dir, stats, uid, 'folder', '700')
}

/** A socket of this user's own with mode 0600 or stricter. Throws ENOENT as Node does. */
export function checkPrivateSocket(file: string): void {
  const uid = ownUid()
  if (uid === null) return
  const stats = fs.lstatSync(file)
  if (!stats.isSocket()) {
    throw new UnsafeEndpointError({
      path: file,
      problem: 'it is not a socket',
      owner: stats.uid,
      mode: stats.mode & 0o7777,
      fix: `Quit Larder, remove it (rm ${quote(file)}) and start Larder again.`
    })
  }
  refuseUnlessPrivate(file, stats, uid, 'socket', '600')
}

/** A regular file of this user's own with mode 0600 or stricter (the endpoint's key). Throws ENOENT as Node does. */
export function checkPrivateFile(file: string): void {
  const uid = ownUid()
  if (uid === null) return
  const stats = fs.lstatSync(file)
  if (!stats.isFile()) {
    throw new UnsafeEndpointError({
      path: file,
      problem: 'it is not a regular file',
      owner: stats.uid,
      mode: stats.mode & 0o7777,
      fix: `Quit Larder, remove it (rm ${quote(file)}) and start Larder again.`
    })
  }
  refuseUnlessPrivate(file, stats, uid, 'file', '600')
}
