// Screenshots as pixels: pngjs decodes them, and a count says how much of the map has a colour.
import { PNG } from 'pngjs'

export interface Image {
  width: number
  height: number
  /** RGBA, 4 bytes a pixel, rows top to bottom. */
  data: Uint8Array
}

export function decodePng(png: Buffer): Image {
  const { width, height, data } = PNG.sync.read(png)
  return { width, height, data }
}

export function countColours(image: Image, colours: readonly (readonly [number, number, number])[], tolerance: number): number[] {
  const counts = colours.map(() => 0)
  const { data } = image
  for (let i = 0; i < data.length; i += 4) {
    for (let k = 0; k < colours.length; k++) {
      const [r, g, b] = colours[k]
      if (Math.abs(data[i] - r) <= tolerance && Math.abs(data[i + 1] - g) <= tolerance && Math.abs(data[i + 2] - b) <= tolerance) {
        counts[k]++
        break
      }
    }
  }
  return counts
}
