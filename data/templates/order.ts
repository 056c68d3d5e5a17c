// The order a city's layers load in: each unit after the one it lies in, the network before what
// the circles measure on it, backlog items last (they name their community).
import type { LayerName } from '../../src/shared/layers.ts'

export const templateLayers: LayerName[] = ['street', 'community', 'grid', 'micro_grid', 'former_village', 'management_area', 'basemap', 'walk_edge', 'facility', 'residence', 'gate', 'backlog']
