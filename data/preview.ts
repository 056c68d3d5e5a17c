// Quick look at the generated sample city: draws communities, grids, micro-grids, the river,
// parks, the walking network, facilities and the planted 三不管 cases to an SVG, and turns it
// into a PNG with headless Chromium when it is there.
//
//   npx tsx data/preview.ts [out.png] [--zoom minLon,minLat,maxLon,maxLat] [--width 1800]
//
// Writes data/preview/<name>.svg (git-ignored) and .png. Nothing here is part of the data.

import fs from 'node:fs'
import path from 'node:path'
import { execFileSync } from 'node:child_process'
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson'
import type { LayerName } from '../src/shared/layers.ts'
import type { CityProperties } from './sample/city.ts'
import { sampleDirectory } from './sample/write.ts'

const HERE = import.meta.dirname
const args = process.argv.slice(2)
const opt = (k: string) => {
  const i = args.indexOf(k)
  return i >= 0 ? args[i + 1] : undefined
}
const outPng = path.resolve(args.find((a, k) => !a.startsWith('--') && (k === 0 || !args[k - 1].startsWith('--'))) ?? path.join(HERE, 'preview', 'city.png'))
const width = Number(opt('--width') ?? 1800)

type Pos = Position
type CityFeature = Feature<Geometry, CityProperties>
const load = (l: LayerName): CityFeature[] =>
  (JSON.parse(fs.readFileSync(path.join(sampleDirectory, `${l}.geojson`), 'utf8')) as FeatureCollection<Geometry, CityProperties>).features
const community = load('community')
const street = load('street')
const grid = load('grid')
const micro = load('micro_grid')
const walk = load('walk_edge')
const basemap = load('basemap')
const facility = load('facility')
const management = load('management_area')
const village = load('former_village')
const backlog = load('backlog')

// bounds: the streets plus a margin, or --zoom
let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity]
/** Every position of the geometry. */
const positions = (g: Geometry): Pos[] => {
  switch (g.type) {
    case 'Point':
      return [g.coordinates]
    case 'MultiPoint':
    case 'LineString':
      return g.coordinates
    case 'MultiLineString':
    case 'Polygon':
      return g.coordinates.flat()
    case 'MultiPolygon':
      return g.coordinates.flat(2)
    case 'GeometryCollection':
      return g.geometries.flatMap(positions)
  }
}
if (opt('--zoom')) [minX, minY, maxX, maxY] = opt('--zoom')!.split(',').map(Number)
else {
  for (const s of street)
    for (const [x, y] of positions(s.geometry)) {
      minX = Math.min(minX, x)
      maxX = Math.max(maxX, x)
      minY = Math.min(minY, y)
      maxY = Math.max(maxY, y)
    }
  const mx = (maxX - minX) * 0.03
  const my = (maxY - minY) * 0.03
  minX -= mx
  maxX += mx
  minY -= my
  maxY += my
}
const kx = Math.cos((((minY + maxY) / 2) * Math.PI) / 180)
const scale = width / ((maxX - minX) * kx)
const height = Math.round((maxY - minY) * scale)
const px = ([x, y]: Pos) => `${((x - minX) * kx * scale).toFixed(1)},${((maxY - y) * scale).toFixed(1)}`
const ringPath = (r: Pos[]) => 'M' + r.map(px).join('L') + 'Z'
const geomPath = (g: Geometry): string => {
  if (g.type === 'Polygon') return g.coordinates.map(ringPath).join('')
  if (g.type === 'MultiPolygon') return g.coordinates.map((p) => p.map(ringPath).join('')).join('')
  if (g.type === 'LineString') return 'M' + g.coordinates.map(px).join('L')
  return ''
}
const zoomed = !!opt('--zoom')
const palette = ['#f4d35e', '#ee964b', '#95d5b2', '#a0c4ff', '#ffadad', '#caffbf', '#bdb2ff', '#ffc6ff', '#fdffb6', '#9bf6ff', '#d8bbff', '#ffd6a5']
const svg: string[] = []
svg.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Noto Sans CJK SC, WenQuanYi Zen Hei, sans-serif">`)
svg.push(`<rect width="100%" height="100%" fill="#e8efe4"/>`)
community.forEach((f, k) => svg.push(`<path d="${geomPath(f.geometry)}" fill="${palette[k % palette.length]}" fill-opacity="0.75" fill-rule="evenodd"/>`))
for (const f of basemap.filter((b) => b.properties.kind === 'park')) svg.push(`<path d="${geomPath(f.geometry)}" fill="#52b788" fill-opacity="0.6"/>`)
for (const f of basemap.filter((b) => b.properties.kind === 'river' || b.properties.kind === 'water')) svg.push(`<path d="${geomPath(f.geometry)}" fill="#4a90d9"/>`)
svg.push(`<path d="${walk.map((f) => geomPath(f.geometry)).join('')}" fill="none" stroke="#666" stroke-width="${zoomed ? 0.8 : 0.35}" stroke-opacity="0.7"/>`)
const major = walk.filter((f) => f.properties.highway === 'primary' || f.properties.highway === 'secondary')
svg.push(`<path d="${major.map((f) => geomPath(f.geometry)).join('')}" fill="none" stroke="#c0392b" stroke-width="${zoomed ? 2.5 : 1.2}" stroke-opacity="0.8"/>`)
if (zoomed) for (const f of micro) svg.push(`<path d="${geomPath(f.geometry)}" fill="#7f5539" fill-opacity="0.55"/>`)
svg.push(`<path d="${grid.map((f) => geomPath(f.geometry)).join('')}" fill="none" stroke="#333" stroke-width="0.8" stroke-dasharray="3,2"/>`)
svg.push(`<path d="${community.map((f) => geomPath(f.geometry)).join('')}" fill="none" stroke="#111" stroke-width="1.6"/>`)
svg.push(`<path d="${street.map((f) => geomPath(f.geometry)).join('')}" fill="none" stroke="#6a00a8" stroke-width="3.2"/>`)
for (const f of village) svg.push(`<path d="${geomPath(f.geometry)}" fill="none" stroke="#8e44ad" stroke-width="1.4" stroke-dasharray="8,4"/>`)
for (const f of backlog) if (f.geometry.type === 'LineString') svg.push(`<path d="${geomPath(f.geometry)}" fill="none" stroke="#ff006e" stroke-width="3"/>`)
// the management areas other than the street offices, where the planted cases lie
for (const m of management.filter((x) => x.properties.kind !== 'street_office'))
  svg.push(`<path d="${geomPath(m.geometry)}" fill="none" stroke="${m.properties.kind === 'development_zone' ? '#e63946' : '#1d3557'}" stroke-width="2.4" stroke-dasharray="2,3"/>`)
for (const f of facility) {
  if (f.geometry.type !== 'Point') continue
  const [x, y] = px(f.geometry.coordinates).split(',').map(Number)
  const big = f.properties.type === 'party_service_centre'
  svg.push(`<circle cx="${x}" cy="${y}" r="${big ? 5 : 2.6}" fill="${big ? '#d00000' : '#023e8a'}" stroke="#fff" stroke-width="0.8"/>`)
}
// labels
/** The mean of the largest outer ring's vertices: near enough the middle for a label. */
const centroidOf = (g: Geometry): Pos => {
  const ring: Pos[] =
    g.type === 'Polygon' ? g.coordinates[0] : g.type === 'MultiPolygon' ? [...g.coordinates].sort((a, b) => b[0].length - a[0].length)[0][0] : positions(g)
  let x = 0, y = 0
  for (const p of ring) {
    x += p[0]
    y += p[1]
  }
  return [x / ring.length, y / ring.length]
}
for (const f of community) {
  const [x, y] = px(centroidOf(f.geometry)).split(',').map(Number)
  svg.push(`<text x="${x}" y="${y}" font-size="${zoomed ? 22 : 14}" text-anchor="middle" fill="#000" stroke="#fff" stroke-width="3" paint-order="stroke">${String(f.properties.name)}</text>`)
}
svg.push('</svg>')
fs.mkdirSync(path.dirname(outPng), { recursive: true })
const svgPath = outPng.replace(/\.png$/, '') + '.svg'
fs.writeFileSync(svgPath, svg.join('\n'))
const chromium = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p))
if (chromium) {
  const html = svgPath.replace(/\.svg$/, '.html')
  fs.writeFileSync(html, `<html><head><meta charset="utf-8"></head><body style="margin:0">${svg.join('\n')}</body></html>`)
  execFileSync(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--hide-scrollbars', `--screenshot=${outPng}`, `--window-size=${width},${height}`, 'file://' + html], { stdio: 'ignore' })
  fs.unlinkSync(html)
  console.log(`wrote ${outPng} (${width}x${height})`)
} else console.log(`wrote ${svgPath} (no chromium for the PNG)`)
