// CPU profiles of one measured window on both sides: this process (node:inspector) and the page (CDP Profiler).
import fs from 'node:fs'
import { Session } from 'node:inspector/promises'
import path from 'node:path'
import type { WavePage } from './wave-page.ts'

export async function startProfiles(page: WavePage): Promise<{ stop(dir: string): Promise<void> }> {
  const session = new Session()
  session.connect()
  await session.post('Profiler.enable')
  await session.post('Profiler.start')
  await page.send('Profiler.enable')
  await page.send('Profiler.start')
  return {
    async stop(dir) {
      const main = await session.post('Profiler.stop')
      const renderer = await page.send<{ profile: unknown }>('Profiler.stop')
      session.disconnect()
      fs.mkdirSync(dir, { recursive: true })
      fs.writeFileSync(path.join(dir, 'main.cpuprofile'), JSON.stringify(main.profile))
      fs.writeFileSync(path.join(dir, 'renderer.cpuprofile'), JSON.stringify(renderer.profile))
    }
  }
}
