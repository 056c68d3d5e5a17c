// The city's figures, read back from its layers: what the README's table and the report quote.
import type { Geometry } from 'geojson'
import * as turf from '@turf/turf'
import { facilityTypes, type LayerName } from '../../src/shared/layers.ts'
import { sampleLayers, type City, type CityProperties, type SampleLayer } from './city.ts'
import { streets } from './communities.ts'
import { sum } from './numbers.ts'
import { bridges } from './walk.ts'

const km2 = (geometry: Geometry) => turf.area(geometry) / 1e6
const format = (n: number, decimals = 0) => n.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals })
const numberOf = (properties: CityProperties, name: string) => Number(properties[name])
const textOf = (properties: CityProperties, name: string) => String(properties[name])

/** Counts by key, in the order the keys first appear. */
function tally(keys: string[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1)
  return counts
}

/** The figures as Markdown; `files` (each layer's text) gives the file sizes. */
export function describeCity(city: City, files: ReadonlyMap<LayerName, string>): string {
  const { layers } = city
  const properties = (layer: SampleLayer) => layers[layer].features.map((feature) => feature.properties)
  const communities = properties('community')
  const grids = properties('grid')
  const microGrids = properties('micro_grid')
  const residences = properties('residence')
  const backlog = properties('backlog')
  const walkEdges = layers.walk_edge.features
  const communityName = new Map(communities.map((community) => [textOf(community, 'code'), textOf(community, 'name')]))
  const communityType = new Map(communities.map((community) => [textOf(community, 'code'), textOf(community, 'type')]))
  const gridCommunity = new Map(grids.map((grid) => [textOf(grid, 'code'), textOf(grid, 'parent_code')]))
  const total = (rows: CityProperties[], name: string) => sum(rows.map((row) => numberOf(row, name)))

  const lines: string[] = []
  const say = (line = '') => lines.push(line)
  say('Longquan sample city: figures')
  say()
  say('| layer | features | file size |')
  say('|---|---:|---:|')
  for (const layer of sampleLayers)
    say(`| ${layer} | ${format(layers[layer].features.length)} | ${format(Buffer.byteLength(files.get(layer) ?? '') / 1024)} KB |`)
  say()
  const gridHouseholds = grids.map((grid) => numberOf(grid, 'households'))
  const microHouseholds = microGrids.map((micro) => numberOf(micro, 'households'))
  const fullTime = grids.filter((grid) => grid.worker_full_time === true).length
  const converted = communities.filter((community) => community.type === '村改居型').length
  say(`streets: ${streets.map((street, k) => `${street.name} ${format(km2(layers.street.features[k].geometry), 2)} km²`).join(', ')}`)
  say(
    `communities: ${communities.length} (${converted} 村改居型, ${communities.length - converted} 纯居型); ` +
      `resident ${format(total(communities, 'resident_population'))}, registered ${format(total(communities, 'registered_population'))}, ` +
      `households ${format(total(communities, 'households'))}`,
  )
  const understaffed = communities.filter(
    (community) => numberOf(community, 'full_time_workers') < (numberOf(community, 'resident_population') / 10000) * 18,
  ).length
  say(
    `service rooms below 300 m²: ${communities.filter((community) => numberOf(community, 'service_area_m2') < 300).length} of 28; ` +
      `below 18 workers per 10,000 residents: ${understaffed} of 28; full-time workers ${format(total(communities, 'full_time_workers'))}`,
  )
  say(
    `grids: ${grids.length}; households per grid ${Math.min(...gridHouseholds)}–${Math.max(...gridHouseholds)}; ` +
      `under 500: ${gridHouseholds.filter((h) => h < 500).length}, over 800: ${gridHouseholds.filter((h) => h > 800).length}; ` +
      `full-time grid workers ${fullTime} (${format((100 * (grids.length - fullTime)) / grids.length, 1)}% part-time)`,
  )
  say(
    `micro-grids: ${microGrids.length}; households per micro-grid ${Math.min(...microHouseholds)}–${Math.max(...microHouseholds)}, ` +
      `mean ${format(sum(microHouseholds) / microHouseholds.length, 1)}`,
  )
  say(`residences: ${residences.length}; households ${format(total(residences, 'households'))}, residents ${format(total(residences, 'residents'))}`)
  const outline = layers.basemap.features.find((feature) => feature.properties.kind === 'outline')
  const cleaning = city.outlineCleaning
  say(
    `county outline: ${format(outline ? km2(outline.geometry) : 0, 0)} km², ${cleaning.vertices} vertices after cleaning, ` +
      `${cleaning.lobes} pinched-off lobes, ${cleaning.holes} pinched-off holes filled (${format(cleaning.filledKm2, 3)} km²)`,
  )
  const nodes = new Set(
    walkEdges.flatMap((edge) => {
      const coordinates = edge.geometry.type === 'LineString' ? edge.geometry.coordinates : []
      return [coordinates[0], coordinates[coordinates.length - 1]].map((position) => position.join(','))
    }),
  )
  const highways = [...tally(walkEdges.map((edge) => textOf(edge.properties, 'highway'))).entries()].sort((a, b) => b[1] - a[1])
  say(
    `walking network: ${walkEdges.length} edges, ${format(total(properties('walk_edge'), 'length_m') / 1000, 1)} km, ${nodes.size} nodes, ` +
      `1 component, ${bridges.length} bridges (${bridges.map((bridge) => bridge.name).join(', ')}); ` +
      highways.map(([highway, count]) => `${highway} ${count}`).join(', '),
  )
  const facilityCounts = tally(properties('facility').map((facility) => textOf(facility, 'type')))
  say(`facilities: ${layers.facility.features.length}: ${facilityTypes.map((type) => `${type} ${facilityCounts.get(type) ?? 0}`).join(', ')}`)
  const categories = tally(backlog.map((item) => textOf(item, 'category')))
  say(
    `backlog: ${backlog.length} items, ¥${format(total(backlog, 'cost_yuan'))}: ${[...categories.entries()].map(([category, count]) => `${category} ${count}`).join(', ')}; ` +
      `in 村改居型 communities ${backlog.filter((item) => communityType.get(textOf(item, 'parent_code')) === '村改居型').length}`,
  )
  say(
    `former villages: ${city.formerVillages
      .map((village) => `${village.name} (${village.communities.map((code) => communityName.get(code)).join('+')})`)
      .join(', ')}`,
  )
  say()
  say('| community | street | type | km² | resident | registered | households | grids | micro-grids | service m² | workers |')
  say('|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|')
  layers.community.features.forEach(({ properties: community, geometry }) => {
    const code = textOf(community, 'code')
    const street = streets.find((s) => s.code === community.parent_code)?.name
    const gridCount = grids.filter((grid) => grid.parent_code === code).length
    const microCount = microGrids.filter((micro) => gridCommunity.get(textOf(micro, 'parent_code')) === code).length
    say(
      `| ${textOf(community, 'name')} | ${street} | ${textOf(community, 'type')} | ${format(km2(geometry), 2)} | ` +
        `${format(numberOf(community, 'resident_population'))} | ${format(numberOf(community, 'registered_population'))} | ` +
        `${format(numberOf(community, 'households'))} | ${gridCount} | ${microCount} | ${numberOf(community, 'service_area_m2')} | ` +
        `${numberOf(community, 'full_time_workers')} |`,
    )
  })
  say()
  say('planted 三不管 cases:')
  city.planted.forEach(({ name, what, geometry }, k) => {
    const [lon, lat] = turf.centroid(geometry).geometry.coordinates
    const area = turf.area(geometry)
    say(
      `- (${'abc'[k]}) ${name} — ${what}: centroid ${lon.toFixed(5)} E, ${lat.toFixed(5)} N; ` +
        `area ${format(area)} m² (${format(area / 1e4, 2)} ha)`,
    )
  })
  return lines.join('\n')
}
