// shpjs ships no types; the one function the atlas uses.
declare module 'shpjs' {
  /** A .shp's shapes as GeoJSON geometries (null for a null shape), reprojected when given a proj4 converter. */
  export function parseShp(shp: DataView | ArrayBuffer | Uint8Array, prj?: string | false): ({ type: string; coordinates: unknown } | null)[]
}
