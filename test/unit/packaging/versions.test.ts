import fs from 'node:fs'
import { describe, expect, it } from 'vitest'

// The versions a build and CI depend on are exact where they must be: the Electron release the lock installs (the
// newest 45.x when this was written, for its security fixes), and the Node that .ci/run installs, which the README
// names.
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version?: string }> }
const manifest = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> }
const ciRun = fs.readFileSync('.ci/run', 'utf8')
const readme = fs.readFileSync('README.md', 'utf8')

function atLeast(version: string, minimum: string): boolean {
  const [a, b] = [version, minimum].map((v) => v.split('.').map(Number))
  for (let i = 0; i < 3; i++) if (a![i] !== b![i]) return a![i]! > b![i]!
  return true
}

describe('pinned versions', () => {
  it('Electron is 45.6.1 or a later 45.x, in the manifest and the lock', () => {
    const locked = lock.packages['node_modules/electron']?.version ?? ''
    expect(locked).toMatch(/^45\.\d+\.\d+$/)
    expect(atLeast(locked, '45.6.1')).toBe(true)
    expect(manifest.devDependencies['electron']).toBe(`^${locked}`)
  })

  it('.ci/run installs one exact Node version, and the README says which', () => {
    const pinned = /^NODE_VERSION=(\S+)$/m.exec(ciRun)?.[1] ?? ''
    expect(pinned).toMatch(/^\d+\.\d+\.\d+$/)
    const installs = [...ciRun.matchAll(/\bnode@(\S+)/g)].map((match) => match[1]!.replace(/["']/g, ''))
    expect(installs.length).toBeGreaterThan(0)
    for (const version of installs) expect([pinned, '${NODE_VERSION}']).toContain(version)
    expect(readme).toContain(`Node ${pinned}`)
  })
})
