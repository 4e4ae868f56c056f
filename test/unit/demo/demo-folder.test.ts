// The demo's data folder is never the real one (issue 19 item 6): beside it, never inside it nor holding it, not even
// through a link; emptied only when it carries the demo's mark; a folder without the mark is left exactly as it was.
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { assertApart, DEMO_MARK, demoDataDir, prepareDemoFolder, wantsDemo } from '../../../src/main/demo/demo-folder.ts'
import { desktopDemo } from '../../../src/main/demo/desktop-demo.ts'

let root: string
let real: string

beforeEach(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'larder-demo-folder-')))
  real = path.join(root, 'larder')
  fs.mkdirSync(real)
  fs.writeFileSync(path.join(real, 'vault.json'), 'the real vault')
})
afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true })
})

const untouched = (): void => {
  expect(fs.readdirSync(real)).toEqual(['vault.json'])
  expect(fs.readFileSync(path.join(real, 'vault.json'), 'utf8')).toBe('the real vault')
}

describe('the demo folder', () => {
  it.each(['/home/ana/.config/larder', '/home/ana/Library/Application Support/Larder', '/tmp/x/larder/', 'relative/larder'])(
    'for %s is beside the real folder: never equal, never inside it, never holding it',
    (dataDir) => {
      const demo = demoDataDir(dataDir)
      const resolved = path.resolve(dataDir)
      expect(demo).not.toBe(resolved)
      expect(path.dirname(demo)).toBe(path.dirname(resolved))
      expect(demo.startsWith(resolved + path.sep)).toBe(false)
      expect(resolved.startsWith(demo + path.sep)).toBe(false)
    }
  )

  it('has no place beside a file system root', () => {
    expect(() => demoDataDir(path.parse(process.cwd()).root)).toThrow(/root/)
  })

  it('is started by --demo only', () => {
    expect(wantsDemo(['/usr/bin/larder'])).toBe(false)
    expect(wantsDemo(['/usr/bin/larder', '--demo'])).toBe(true)
    expect(wantsDemo(['/usr/bin/larder', '--demo=no'])).toBe(false)
  })

  it('is refused when it is the real folder, inside it, holding it, or a link to it; nothing is changed', () => {
    const link = path.join(root, 'larder-demo')
    fs.symlinkSync(real, link)
    for (const demo of [real, path.join(real, 'demo'), root, link]) {
      expect(() => prepareDemoFolder(demo, real)).toThrow(/not apart from the real data folder/)
      untouched()
    }
    expect(() => assertApart(path.join(link, 'inner'), real)).toThrow(/not apart/)
  })

  it('is made fresh and marked; a marked one is emptied at the next start', () => {
    const demo = demoDataDir(real)
    prepareDemoFolder(demo, real)
    expect(fs.readdirSync(demo)).toEqual([DEMO_MARK])
    fs.writeFileSync(path.join(demo, 'vault.json'), 'yesterday’s demo')
    prepareDemoFolder(demo, real)
    expect(fs.readdirSync(demo)).toEqual([DEMO_MARK])
    untouched()
  })

  it('leaves a folder without the mark exactly as it is, and does not start', () => {
    const demo = demoDataDir(real)
    fs.mkdirSync(demo)
    fs.writeFileSync(path.join(demo, 'notes.txt'), 'someone else’s')
    expect(() => prepareDemoFolder(demo, real)).toThrow(/not Larder's demo folder/)
    expect(fs.readdirSync(demo)).toEqual(['notes.txt'])
    untouched()
  })

  it("the demo's vault, audit trail and log paths all lie in its own folder, none in the real one", () => {
    const demo = desktopDemo(real)
    expect(demo.dataDir).toBe(path.join(root, 'larder-demo'))
    for (const file of ['vault.json', 'audit.jsonl', path.join('logs', 'larder.log')]) {
      const inDemo = path.join(demo.dataDir, file)
      expect(inDemo).not.toBe(path.join(real, file))
      expect(inDemo.startsWith(real + path.sep)).toBe(false)
    }
  })
})
