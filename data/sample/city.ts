// The sample city, Longquan: real names and division codes, synthetic geometry, made in memory
// from a seed. The same seed gives the same city, byte for byte; every layer passes the
// importer's own validation before it is returned.
//
// How the geometry is built. Everything is laid on one perturbed street lattice in local metres
// around the centre (lattice.ts). Every polygon layer (street, community, grid, former village,
// management area, park) is a set of lattice cells traced along cell edges (geometry.ts), so
// neighbours share identical vertices and nothing overlaps or leaves a gap except where planted.
// The walking network is the lattice's edges (walk.ts). Micro-grids are building-size quads
// inside the grid's cells; residences are points inside micro-grids (people.ts).
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import * as turf from '@turf/turf'
import { layerNames, layers, type LayerName } from '../../src/shared/layers.ts'

/** The layers the sample city has: all but gates (its residences are points, not compounds). */
export type SampleLayer = Exclude<LayerName, 'gate'>
export const sampleLayers: readonly SampleLayer[] = layerNames.filter((layer): layer is SampleLayer => layer !== 'gate')
import { ImportError, validateFeatures } from '../../src/db/validate.ts'
import { planAreas } from './areas.ts'
import { planBacklog } from './backlog.ts'
import { countyOutline, riverGeometry, type OutlineCleaning } from './basemap.ts'
import { planCommunities, streets } from './communities.ts'
import { placeFacilities } from './facilities.ts'
import { cellsGeometry, quadGeometry, shrink, type CityGeometry } from './geometry.ts'
import { divideLand } from './land.ts'
import { buildLattice } from './lattice.ts'
import { placePeople } from './people.ts'
import { toLonLat, type LonLat } from './projection.ts'
import { randomStreams } from './random.ts'
import { readSources, type CitySources } from './sources.ts'
import { buildWalkNetwork } from './walk.ts'

export type CityProperties = Record<string, string | number | boolean | string[] | null>
export type CityFeature = Feature<CityGeometry, CityProperties>
export type CityLayer = FeatureCollection<CityGeometry, CityProperties>

export interface City {
  seed: string
  layers: Record<SampleLayer, CityLayer>
  /** What cleaning the county outline took. */
  outlineCleaning: OutlineCleaning
  /** Each former village and the codes of the communities its land lies in now. */
  formerVillages: { code: string; name: string; communities: string[] }[]
  /** The planted 三不管 cases, which no layer draws as such. */
  planted: { name: string; what: string; geometry: Polygon | MultiPolygon }[]
}

export interface CityOptions {
  /** The division list and the county outline; read from the reference data when left out. */
  sources?: CitySources
}

const feature = (properties: CityProperties, geometry: CityGeometry): CityFeature => ({ type: 'Feature', properties, geometry })
const collection = (features: CityFeature[]): CityLayer => ({ type: 'FeatureCollection', features })
/** Geodesic length, m, to the centimetre. */
const lineLength = (coordinates: LonLat[]) => Math.round(turf.length(turf.lineString(coordinates), { units: 'kilometers' }) * 1000 * 100) / 100

export function generateCity(seed: string, options: CityOptions = {}): City {
  const sources = options.sources ?? readSources()
  const streams = randomStreams(seed)
  const communities = planCommunities(sources.divisions, streams('communities'))
  const lattice = buildLattice(streams('lattice'))
  const land = divideLand(lattice, communities)
  const areas = planAreas(lattice, land, communities, sources.divisions)
  const walk = buildWalkNetwork(lattice, land.isLand, areas.parkCells, streams('walk'))
  const people = placePeople(lattice, communities, land.communityCells, new Set([...areas.parkCells, ...walk.diagonalCells]), streams)
  const facilities = placeFacilities(lattice, communities, land.communityCells, areas.parkCells, walk.diagonalCells, streams('facilities'))
  const backlog = planBacklog(lattice, communities, land.communityCells, land.cellCommunity, areas, streams('backlog'))
  const outline = countyOutline(sources.countyOutline)

  const cellsOf = (map: Map<string, number[]>, code: string) => map.get(code) ?? []
  const cityLayers: Record<SampleLayer, CityLayer> = {
    street: collection(
      streets.map((street) =>
        feature({ code: street.code, name: street.name, kind: '街道' }, cellsGeometry(lattice, cellsOf(land.streetCells, street.code))),
      ),
    ),
    community: collection(
      communities.map((community) =>
        feature(
          {
            code: community.code,
            name: community.name,
            parent_code: community.street,
            type: community.type,
            registered_population: community.registered,
            resident_population: community.resident,
            households: community.households,
            service_area_m2: community.service,
            full_time_workers: community.workers,
          },
          cellsGeometry(lattice, cellsOf(land.communityCells, community.code)),
        ),
      ),
    ),
    grid: collection(
      people.grids.map((grid) =>
        feature(
          {
            code: grid.code,
            name: grid.name,
            parent_code: grid.community,
            households: grid.households,
            grid_worker: grid.worker,
            worker_full_time: grid.fullTime,
          },
          cellsGeometry(lattice, grid.cells),
        ),
      ),
    ),
    micro_grid: collection(
      people.microGrids.map((micro) =>
        feature(
          { code: micro.code, name: micro.name, parent_code: micro.grid, households: micro.households, building_head: micro.head },
          quadGeometry(micro.quad),
        ),
      ),
    ),
    former_village: collection(
      areas.villages.map((village) =>
        feature({ code: village.code, name: village.name, converted_year: 2022 }, cellsGeometry(lattice, village.cells)),
      ),
    ),
    management_area: collection(
      areas.management.map((area) =>
        feature({ code: area.code, name: area.name, kind: area.kind, manager: area.manager }, cellsGeometry(lattice, area.cells)),
      ),
    ),
    facility: collection(
      facilities.map((facility) =>
        feature(
          { code: facility.code, name: facility.name, parent_code: facility.community, type: facility.type, floor_area_m2: facility.area },
          { type: 'Point', coordinates: toLonLat(...facility.point) },
        ),
      ),
    ),
    walk_edge: collection(
      walk.edges.map((edge, k) => {
        const coordinates: LonLat[] = [
          lattice.nodeLonLat[edge.from],
          ...(edge.via ?? []).map(([x, y]) => toLonLat(x, y)),
          lattice.nodeLonLat[edge.to],
        ]
        const properties: CityProperties = {
          code: 'W' + String(k + 1).padStart(6, '0'),
          name: edge.name,
          highway: edge.highway,
          steps: edge.highway === 'steps',
          length_m: lineLength(coordinates),
        }
        return feature(properties, { type: 'LineString', coordinates })
      }),
    ),
    residence: collection(
      people.residences.map((residence) =>
        feature(
          {
            code: residence.code,
            name: residence.name,
            parent_code: residence.community,
            households: residence.households,
            residents: residence.residents,
          },
          { type: 'Point', coordinates: toLonLat(...residence.point) },
        ),
      ),
    ),
    backlog: collection(
      backlog.map((item) =>
        feature(
          {
            code: item.code,
            name: item.name,
            parent_code: item.community,
            category: item.category,
            cost_yuan: item.cost,
            households_served: item.households,
            complaints: item.complaints,
            severity: item.severity,
            status: item.status,
            ...(item.dependsOn.length ? { depends_on: item.dependsOn } : {}),
            requested_on: item.requested,
          },
          item.geometry,
        ),
      ),
    ),
    basemap: collection([
      feature({ code: 'county-outline', name: '龙泉市', kind: 'outline' }, outline.geometry),
      // the land the four street offices must tile, for the 三不管 check of streets against the city
      feature(
        { code: 'city-urban', name: '龙泉市城区', kind: 'city' },
        cellsGeometry(
          lattice,
          streets.flatMap((street) => cellsOf(land.streetCells, street.code)),
        ),
      ),
      feature({ code: 'river-longquanxi', name: '龙泉溪', kind: 'river' }, riverGeometry(lattice)),
      ...areas.parks.map((park) => feature({ code: park.code, name: park.name, kind: 'park' }, cellsGeometry(lattice, park.cells))),
      feature({ code: 'water-jianchihu', name: '剑池湖', kind: 'water' }, quadGeometry(shrink(lattice.cellQuad(areas.lakeCell), 0.62))),
    ]),
  }

  for (const layer of sampleLayers) {
    const problems = validateFeatures(layers[layer], cityLayers[layer].features)
    if (problems.length) throw new ImportError(`${layer}.geojson`, problems)
  }

  return {
    seed,
    layers: cityLayers,
    outlineCleaning: outline.cleaning,
    formerVillages: areas.villages.map((village) => ({
      code: village.code,
      name: village.name,
      communities: [...new Set(village.cells.map((c) => land.cellCommunity[c]).filter((code) => code !== null))],
    })),
    planted: [
      { name: '吴处联建房', what: 'gap: in 剑池街道, in no community and no management area', geometry: cellsGeometry(lattice, areas.wuchu) },
      { name: '水南犁山棚户区', what: 'overlap: claimed by 剑池街道办事处 and 龙泉经济开发区', geometry: cellsGeometry(lattice, areas.lishan) },
      { name: '林场', what: 'gap between 城南棚户区改造区块 (建设局) and 剑池街道办事处', geometry: cellsGeometry(lattice, areas.linchang) },
    ],
  }
}
