// The real Apicbase sandbox and a real client for one describe block (team suites, issue 16), as pgServerForSuite does
// for PostgreSQL: started before the suite's tests on loopback, closed after them, and the refresh engines a test makes
// over it, stopped when the test says (before the vaults under them close).
import { afterAll, beforeAll } from 'vitest'
import { createApicbaseClient, type ApicbaseClient } from '../../src/main/core/apicbase/index.ts'
import type { EngineClient, EngineVault } from '../../src/main/core/engine/ports.ts'
import { RefreshEngine } from '../../src/main/core/engine/refresh-engine.ts'
import { systemClock } from '../../src/main/core/time/clock.ts'
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.ts'

export interface SandboxSuite {
  /** The suite's sandbox (throws before it has started or after it closed). */
  readonly sandbox: Sandbox
  /** An Apicbase client for it, with no rate limit of its own. */
  readonly api: ApicbaseClient
  /** A refresh engine over `vault` (audit discarded) that asks through `client`, by default the suite's `api`. */
  engine(vault: EngineVault, client?: EngineClient): RefreshEngine
  /** Stops every engine made since the last call: the first thing a test's afterEach does. */
  stopEngines(): void
}

/** Call inside describe: registers the suite's beforeAll and afterAll. The sandbox has no rate limit unless `options` set one. */
export function sandboxForSuite(options: SandboxOptions = {}): SandboxSuite {
  let sandbox: Sandbox | null = null
  let api: ApicbaseClient | null = null
  const engines: RefreshEngine[] = []
  beforeAll(async () => {
    sandbox = await startSandbox({ rateLimitPerMinute: false, ...options })
    api = createApicbaseClient({})
  })
  afterAll(async () => {
    await api?.close()
    await sandbox?.close()
    api = null
    sandbox = null
  })
  const running = <T>(what: T | null): T => {
    if (what === null) throw new Error("The suite's sandbox is not running.")
    return what
  }
  const suite: SandboxSuite = {
    get sandbox() {
      return running(sandbox)
    },
    get api() {
      return running(api)
    },
    engine(vault, client = { refresh: (...args) => suite.api.refresh(...args) }) {
      const engine = new RefreshEngine({ vault, client, clock: systemClock, audit: { append: async () => undefined } })
      engines.push(engine)
      return engine
    },
    stopEngines() {
      for (const engine of engines.splice(0)) engine.stop()
    }
  }
  return suite
}
