// The real app (test/support/larder-harness.ts) with the loopback fakes of the other token systems on a clock that
// moves with Larder's: what the key tests start. Each world is closed after its test.
import { afterEach } from 'vitest'
import { startProviderSandbox, type ProviderSandbox } from '../../src/main/sandbox/providers/index.ts'
import { startLarder, type LarderHarness, type LarderHarnessOptions } from './larder-harness.ts'

const DAY = 86_400_000

export interface KeysWorld {
  readonly h: LarderHarness
  readonly fakes: ProviderSandbox
  /** Moves Larder's clock and the fakes' together, `step` at a time (a day by default), timers firing on the way. */
  advance(ms: number, step?: number): Promise<void>
}

/** Call once in a test file: answers the function that starts a world, and closes each one after its test. */
export function keysWorlds(): (options?: LarderHarnessOptions) => Promise<KeysWorld> {
  const open: KeysWorld[] = []
  afterEach(async () => {
    for (const world of open.splice(0)) {
      await world.h.close()
      await world.fakes.close()
    }
  })
  return async (options = {}) => {
    const h = await startLarder(options)
    let fakes: ProviderSandbox
    try {
      fakes = await startProviderSandbox({ startTime: h.clock.now(), frozen: true })
    } catch (error) {
      await h.close()
      throw error
    }
    const world: KeysWorld = {
      h,
      fakes,
      async advance(ms, step = DAY) {
        for (let left = ms; left > 0; left -= step) {
          const now = Math.min(step, left)
          fakes.clock.advance(now)
          await h.advance(now)
        }
      }
    }
    open.push(world)
    return world
  }
}
