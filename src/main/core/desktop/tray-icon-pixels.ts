// The three tray icons, drawn in code as raw BGRA pixels so no image files need shipping. Each level has
// its own shape as well as its own colour (a disc, a ring, a disc with "!"), for people who cannot tell
// green from red.
import type { TrayLevel } from './tray-model.ts'

export interface Bitmap {
  readonly width: number
  readonly height: number
  /** Premultiplied BGRA, row by row: what Electron's nativeImage.createFromBitmap reads. */
  readonly bgra: Buffer
}

const COLOURS: Readonly<Record<TrayLevel, readonly [number, number, number]>> = {
  ok: [0x2e, 0x9d, 0x4f],
  warning: [0xe0, 0x9a, 0x00],
  attention: [0xd2, 0x2f, 0x27]
}

/** Coverage of a pixel by an edge at signed distance `inside` (positive inside), anti-aliased over one pixel. */
function cover(inside: number): number {
  return Math.min(1, Math.max(0, inside + 0.5))
}

function rectCover(x: number, y: number, left: number, top: number, right: number, bottom: number): number {
  return Math.min(cover(x - left), cover(right - x), cover(y - top), cover(bottom - y))
}

export function drawTrayIcon(level: TrayLevel, size: number): Bitmap {
  if (!Number.isInteger(size) || size < 8 || size > 256) throw new RangeError(`icon size must be a whole number from 8 to 256, got ${size}`)
  const [red, green, blue] = COLOURS[level]
  const bgra = Buffer.alloc(size * size * 4)
  const centre = size / 2
  const radius = size * 0.44
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const x = col + 0.5
      const y = row + 0.5
      const distance = Math.hypot(x - centre, y - centre)
      const alpha = cover(radius - distance)
      // Marks are painted white inside the disc (not cut out) so the icon reads on dark and light panels alike.
      let white = 0
      if (level === 'warning') {
        white = cover(radius * 0.45 - distance)
      } else if (level === 'attention') {
        const bar = rectCover(x, y, centre - size * 0.07, size * 0.2, centre + size * 0.07, size * 0.6)
        const dot = cover(size * 0.08 - Math.hypot(x - centre, y - size * 0.74))
        white = Math.max(bar, dot)
      }
      const i = (row * size + col) * 4
      const mix = (channel: number): number => Math.round((channel * (1 - white) + 255 * white) * alpha)
      bgra[i] = mix(blue)
      bgra[i + 1] = mix(green)
      bgra[i + 2] = mix(red)
      bgra[i + 3] = Math.round(alpha * 255)
    }
  }
  return { width: size, height: size, bgra }
}
