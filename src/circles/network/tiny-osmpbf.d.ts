// tiny-osmpbf ships no types: the part of its API the network reader uses.
declare module 'tiny-osmpbf' {
  export type OsmElement =
    | { type: 'node'; id: number; lat: number; lon: number; tags: Record<string, string>; visible?: boolean }
    | { type: 'way'; id: number; nodes: number[]; tags: Record<string, string>; visible?: boolean }
    | { type: 'relation'; id: number; tags: Record<string, string>; visible?: boolean }
  /** Parses a whole .osm.pbf; with a handler, each element goes to it instead of the result. */
  export default function tinyosmpbf(data: ArrayBuffer | Uint8Array, handler?: (element: OsmElement) => void): { elements?: OsmElement[] }
}
