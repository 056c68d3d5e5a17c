// The stack of the map, bottom to top: the basemap; deck.gl's unit fills; the walking network,
// the unit boundaries (MapLibre lines); deck.gl's overlays and points; the labels (MapLibre).
// deck.gl layers are placed by naming the MapLibre layer they are drawn below.

/** The first MapLibre layer above deck.gl's unit fills. */
export const fillsBelow = 'walk-casing'
/** The first label layer: deck.gl's overlays and points are drawn below it. */
export const overlaysBelow = 'label-street'

/**
 * What deck.gl's MapboxOverlay reads from a layer in interleaved mode: the MapLibre layer it is
 * drawn below (@deck.gl/mapbox declares it, LayerOverlayProps, but does not export it).
 */
export interface InterleavedProps {
  beforeId?: string
}
