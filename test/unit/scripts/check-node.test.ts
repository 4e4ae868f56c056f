import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

// scripts/check-node.cjs runs first in `npm install`, `npm ci`, `npm start`, `npm test`, `npm run dev` and
// `npm run dev:web`, on whatever Node a person has: an old one must hear one sentence, not a screenful of
// EBADENGINE warnings and an error about ".ts" files.
interface CheckNode {
  minimumFromRange(range: string): string
  isAtLeast(version: string, minimum: string): boolean
  tooOldMessage(version: string, minimum: string): string | null
  minimumNode(): string
}

const ROOT = path.resolve(import.meta.dirname, '../../..')
const SCRIPT = path.join(ROOT, 'scripts/check-node.cjs')
const checkNode = createRequire(import.meta.url)(SCRIPT) as CheckNode
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  engines: { node: string }
  scripts: Record<string, string>
}

/** The system's Node, when it is older than Larder's minimum (Node 20 on the CI image): the case a newcomer meets. */
const SYSTEM_NODE = '/usr/bin/node'
const systemNodeVersion = fs.existsSync(SYSTEM_NODE)
  ? spawnSync(SYSTEM_NODE, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()
  : ''
const systemNodeIsOld = systemNodeVersion !== '' && !checkNode.isAtLeast(systemNodeVersion, checkNode.minimumNode())

describe('the Node version check', () => {
  it('says in one sentence which Node Larder needs and which one this is, then what to do', () => {
    const message = checkNode.tooOldMessage('20.20.2', '22.19')
    const [sentence, advice, ...rest] = (message ?? '').split('\n')
    expect(sentence).toBe('Larder needs Node 22.19 or newer; this is 20.20.2.')
    expect(advice).toContain('README.md')
    expect(advice).toContain('"If your Node is older"')
    expect(rest).toEqual([])
  })

  it('lets the minimum and anything newer through, and stops anything older', () => {
    for (const version of ['22.19.0', '22.20.1', '24.21.0', '26.0.0', 'v24.0.0', '24.0.0-pre']) {
      expect(checkNode.tooOldMessage(version, '22.19'), version).toBeNull()
    }
    for (const version of ['22.18.9', '22.12.0', '20.20.2', '18.0.0', '4.9.1', 'v22.1.0']) {
      expect(checkNode.tooOldMessage(version, '22.19'), version).not.toBeNull()
    }
  })

  it('reads the minimum from package.json engines.node, and refuses a range it cannot read', () => {
    expect(checkNode.minimumFromRange('>=22.19')).toBe('22.19')
    expect(checkNode.minimumFromRange('>= 22.19.0')).toBe('22.19.0')
    expect(() => checkNode.minimumFromRange('^22.19.0 || >=24')).toThrow(/engines\.node/)
    expect(checkNode.minimumNode()).toBe(checkNode.minimumFromRange(manifest.engines.node))
  })

  it('asks for a Node that can run the installed runtime packages (undici needs 22.19) and strip types (22.18)', () => {
    const minimum = checkNode.minimumNode()
    expect(checkNode.isAtLeast(minimum, '22.18.0'), `engines.node ${manifest.engines.node}`).toBe(true)
    for (const name of ['electron', 'electron-store', 'react', 'react-dom', 'undici', 'zod', 'zustand']) {
      const file = path.join(ROOT, 'node_modules', name, 'package.json')
      const range = (JSON.parse(fs.readFileSync(file, 'utf8')) as { engines?: { node?: string } }).engines?.node ?? ''
      const floor = /^\s*>=\s*(\d+(?:\.\d+){0,2})\s*$/.exec(range)?.[1]
      if (floor === undefined) continue
      expect(checkNode.isAtLeast(minimum, floor), `${name} needs Node ${range}; engines.node is ${manifest.engines.node}`).toBe(true)
    }
  })

  it('exits quietly on this Node', () => {
    const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' })
    expect(run.status).toBe(0)
    expect(run.stdout + run.stderr).toBe('')
  })

  it.skipIf(!systemNodeIsOld)(`stops the system's old Node (${systemNodeVersion || 'none'}) with exit 1 and the sentence`, () => {
    const run = spawnSync(SYSTEM_NODE, [SCRIPT], { encoding: 'utf8' })
    expect(run.status).toBe(1)
    expect(run.stdout).toBe('')
    const lines = run.stderr.trim().split('\n')
    expect(lines[0]).toBe(`Larder needs Node ${checkNode.minimumNode()} or newer; this is ${systemNodeVersion}.`)
    expect(lines).toHaveLength(2)
  })
})

describe('the README the message points at', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8')
  const section = /^#+ If your Node is older\n([\s\S]*?)\n#/m.exec(readme)?.[1] ?? ''

  it('names the same minimum and has the section the message names', () => {
    expect(readme).toContain(`Node.js **${checkNode.minimumNode()} or newer**`)
    expect(section).not.toBe('')
  })

  it('gives the commands that install a Node into a folder and put it first on PATH, for bash/zsh and PowerShell', () => {
    expect(section).toContain('npm install --prefix ~/.larder-node node@24 npm@11')
    expect(section).toContain('export PATH="$HOME/.larder-node/node_modules/.bin:$PATH"')
    expect(section).toContain('npm install --prefix "$HOME\\.larder-node" node@24 npm@11')
    expect(section).toContain('$env:Path = "$HOME\\.larder-node\\node_modules\\.bin;$env:Path"')
  })
})

describe('where the check runs', () => {
  it('runs before install, start, test, dev, dev:web and demo', () => {
    for (const name of ['preinstall', 'prestart', 'pretest', 'predev', 'predev:web', 'predemo']) {
      expect(manifest.scripts[name], name).toBe('node scripts/check-node.cjs')
    }
  })

  it('makes npm refuse to install on an old Node before it fetches anything (engine-strict)', () => {
    const npmrc = fs.readFileSync(path.join(ROOT, '.npmrc'), 'utf8')
    expect(npmrc).toMatch(/^engine-strict=true$/m)
  })

  it.skipIf(!systemNodeIsOld || !fs.existsSync('/usr/bin/npm'))('stops `npm start` on the old Node with the sentence, before the app starts', () => {
    const run = spawnSync('/usr/bin/npm', ['start'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, PATH: `/usr/bin:/bin` }
    })
    expect(run.status).toBe(1)
    expect(run.stderr).toContain(`Larder needs Node ${checkNode.minimumNode()} or newer; this is ${systemNodeVersion}.`)
    expect(run.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION')
    expect(run.stdout).not.toContain('scripts/start.ts')
  })
})
