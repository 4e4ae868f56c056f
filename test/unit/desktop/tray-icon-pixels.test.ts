import { describe, expect, it } from 'vitest'
import { drawTrayIcon } from '../../../src/main/core/desktop/tray-icon-pixels.ts'

const pixel = (bgra: Buffer, size: number, x: number, y: number): number[] => [...bgra.subarray((y * size + x) * 4, (y * size + x) * 4 + 4)]

describe('tray icons', () => {
  it('draws a size × size BGRA bitmap with transparent corners', () => {
    const icon = drawTrayIcon('ok', 32)
    expect(icon.bgra.length).toBe(32 * 32 * 4)
    expect(pixel(icon.bgra, 32, 0, 0)).toEqual([0, 0, 0, 0])
  })

  it('gives each level its own colour and its own mark', () => {
    const ok = drawTrayIcon('ok', 32)
    const warning = drawTrayIcon('warning', 32)
    const attention = drawTrayIcon('attention', 32)
    // Off-centre point inside the disc: the level's colour (green channel high for ok, red for attention).
    const [b1, g1, r1] = pixel(ok.bgra, 32, 8, 16)
    const [, , r3] = pixel(attention.bgra, 32, 8, 16)
    expect(g1).toBeGreaterThan(r1!)
    expect(g1).toBeGreaterThan(b1!)
    expect(r3).toBeGreaterThan(200)
    // Centre: white mark for warning and attention, colour for ok.
    expect(pixel(warning.bgra, 32, 16, 16)).toEqual([255, 255, 255, 255])
    expect(pixel(attention.bgra, 32, 16, 12)).toEqual([255, 255, 255, 255])
    expect(pixel(ok.bgra, 32, 16, 16)).not.toEqual([255, 255, 255, 255])
    expect(Buffer.compare(ok.bgra, warning.bgra)).not.toBe(0)
  })

  it('refuses silly sizes', () => {
    expect(() => drawTrayIcon('ok', 3)).toThrow(RangeError)
    expect(() => drawTrayIcon('ok', 16.5)).toThrow(RangeError)
  })
})
