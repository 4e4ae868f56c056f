// The rule that keeps the core testable in plain Node: only src/main/electron (and the preload, and index.ts,
// the wiring) may import 'electron' or 'electron-store'.
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '../../..')

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.(ts|tsx)$/.test(entry.name) ? [path] : []
  })
}

const ELECTRON_IMPORT = /(?:from\s+|import\s*\(\s*|require\s*\(\s*|import\s+)['"](electron|electron-store)(?:\/[^'"]*)?['"]/

describe('import boundary', () => {
  it("nothing outside src/main/electron, the preload and index.ts imports 'electron' or 'electron-store'", () => {
    const offenders = [...sources(join(root, 'src/main')), ...sources(join(root, 'src/shared')), ...sources(join(root, 'src/renderer'))]
      .map((file) => relative(root, file).split('\\').join('/'))
      .filter((file) => !file.startsWith('src/main/electron/') && file !== 'src/main/index.ts')
      .filter((file) => ELECTRON_IMPORT.test(readFileSync(join(root, file), 'utf8')))
    expect(offenders).toEqual([])
  })
})
