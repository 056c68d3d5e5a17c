// What every layer file is given besides its own data: what else is drawn, so it knows whether
// it is the filled layer or a frame around a finer one.
import { isMapLayer, type MapLayer } from './zoom.ts'

export interface LayerContext {
  drawn: readonly MapLayer[]
  zoom: number
}

/** The deck.gl layer ids start with the atlas layer's name, so a pick names what was hit. */
export function atlasLayerOf(deckLayerId: string): MapLayer | null {
  const name = deckLayerId.split('/')[0]
  return isMapLayer(name) ? name : null
}
