// Where the desktop demo keeps its data, and the checks that keep it apart from the person's real vault: a folder of
// its own beside the real data folder (never the same folder, never inside it, never holding it, not even through a
// link), emptied at each demo start because its stand-in API is new each time, and only ever emptied when it carries
// the demo's own mark.
import fs from 'node:fs'
import path from 'node:path'

/** The command-line switch that starts Larder as a demo (`npm run demo`, or `Larder --demo`). */
export const DEMO_SWITCH = '--demo'

/** The file that marks a folder as the demo's: only a folder with it is ever emptied. */
export const DEMO_MARK = '.larder-demo'

const MARK_TEXT = "Larder's demo folder: stand-in data only, replaced at each demo start. Your real vault is not here.\n"

export class DemoFolderError extends Error {
  override readonly name = 'DemoFolderError'
}

export function wantsDemo(argv: readonly string[]): boolean {
  return argv.includes(DEMO_SWITCH)
}

/** `<data folder>-demo` beside the real one (e.g. ~/.config/larder-demo for ~/.config/larder). */
export function demoDataDir(realDataDir: string): string {
  const real = path.resolve(realDataDir)
  const parent = path.dirname(real)
  if (parent === real) throw new DemoFolderError('The data folder is a file system root; the demo needs a folder beside it.')
  return path.join(parent, `${path.basename(real)}-demo`)
}

/** Refuses a demo folder that is the real one, lies inside it, or holds it. Compares resolved paths, links followed. */
export function assertApart(demoDir: string, realDataDir: string): void {
  const demo = resolvedThroughLinks(demoDir)
  const real = resolvedThroughLinks(realDataDir)
  const inside = (child: string, parent: string): boolean => child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep)
  if (inside(demo, real) || inside(real, demo)) {
    throw new DemoFolderError(`The demo's folder (${demoDir}) is not apart from the real data folder (${realDataDir}); the demo did not start.`)
  }
}

/**
 * Makes `demoDir` an empty folder carrying the demo's mark. An existing folder is emptied only if it carries the
 * mark; one without it that holds anything is left exactly as it is, and the demo does not start.
 */
export function prepareDemoFolder(demoDir: string, realDataDir: string): void {
  assertApart(demoDir, realDataDir)
  if (fs.existsSync(demoDir)) {
    const marked = fs.existsSync(path.join(demoDir, DEMO_MARK))
    if (!marked && fs.readdirSync(demoDir).length > 0) {
      throw new DemoFolderError(`${demoDir} exists and is not Larder's demo folder (it has no ${DEMO_MARK}); nothing in it was changed, and the demo did not start.`)
    }
    fs.rmSync(demoDir, { recursive: true, force: true })
  }
  fs.mkdirSync(demoDir, { recursive: true, mode: 0o700 })
  fs.writeFileSync(path.join(demoDir, DEMO_MARK), MARK_TEXT, { mode: 0o600 })
  // Checked again once it exists: a link planted meanwhile must not lead the demo into the real folder.
  assertApart(demoDir, realDataDir)
}

/** The path with every link resolved, as far as it exists (the rest appended). */
function resolvedThroughLinks(target: string): string {
  const absolute = path.resolve(target)
  let existing = absolute
  const rest: string[] = []
  while (!fs.existsSync(existing)) {
    const parent = path.dirname(existing)
    if (parent === existing) break
    rest.unshift(path.basename(existing))
    existing = parent
  }
  return path.join(fs.realpathSync(existing), ...rest)
}
