// Local metres around the town centre (119.14 E, 28.07 N) to WGS-84 longitude and latitude:
// equirectangular, which is exact enough over a town.

/** x east and y north of the centre, in metres. */
export type Metres = [number, number]
export type LonLat = [number, number]

const centreLongitude = 119.14
const centreLatitude = 28.07
export const metresPerDegreeLongitude = 111320 * Math.cos((centreLatitude * Math.PI) / 180)
export const metresPerDegreeLatitude = 110574

/** Seven decimals of a degree: about a centimetre, and shorter files. */
export const round7 = (value: number) => Math.round(value * 1e7) / 1e7

export const toLonLat = (x: number, y: number): LonLat => [
  round7(centreLongitude + x / metresPerDegreeLongitude),
  round7(centreLatitude + y / metresPerDegreeLatitude),
]
