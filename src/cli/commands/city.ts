// `atlas city show` and `atlas city set`: the city the atlas is of (its name, administrative code,
// attribution, search example, opening view), as a leader sets it in the page.
import { callApi } from '../../db/api.ts'
import { asCaller, userClaims } from '../../db/session.ts'
import type { CityProfile } from '../../city/types.ts'
import { settledBy } from './gaps.ts'
import { leader } from './walk.ts'
import { CommandError, refusal, UsageError, withDatabase, type Command, type CommandValues } from './command.ts'

export function describeCity(city: CityProfile): string {
  const or = (text: string) => text || '(not set)'
  return [
    `name: ${or(city.name)}`,
    `administrative code: ${city.adcode ?? '(not set)'}`,
    `attribution: ${or(city.attribution)}`,
    `search example: ${or(city.search_example)}`,
    `opening view: ${city.view ? `${city.view.lon}, ${city.view.lat} at zoom ${city.view.zoom}` : 'fitted to the units'}`,
    ...(city.updated_at ? [`changed by ${city.updated_by ?? 'unknown'} at ${city.updated_at}`] : []),
  ].join('\n')
}

/** --view lon,lat,zoom, or "fit" to open fitted to the units. */
function readView(text: string | undefined): { view_lon?: number; view_lat?: number; view_zoom?: number; clear_view?: boolean } {
  if (text === undefined) return {}
  if (text.trim() === 'fit') return { clear_view: true }
  const pieces = text.split(',').map((p) => p.trim())
  const parts = pieces.map(Number)
  if (parts.length !== 3 || pieces.some((p) => p === '' || !Number.isFinite(Number(p))))
    throw new CommandError(`--view takes longitude,latitude,zoom (e.g. 119.14,28.07,12) or "fit", not "${text}"`)
  const [view_lon, view_lat, view_zoom] = parts
  return { view_lon, view_lat, view_zoom }
}

function changes(values: CommandValues) {
  const given = {
    name: values.name,
    adcode: values.adcode,
    attribution: values.attribution,
    search_example: values.example,
    ...readView(values.view),
  }
  if (Object.values(given).every((v) => v === undefined)) throw new UsageError('city set needs at least one of --name, --adcode, --attribution, --example, --view')
  return given
}

export const cityCommand: Command = {
  name: 'city',
  usage: [
    'city show               the city the atlas is of: name, code, attribution, search example, view',
    'city set [--name <name>] [--adcode <6 digits>] [--attribution <text>] [--example <text>] [--view <lon,lat,zoom | fit>]',
    '                        set them, as a leader does in the page ("" clears a text)',
  ],
  async run({ target, values, args, print }) {
    const [sub, ...rest] = args
    if ((sub !== 'show' && sub !== 'set') || rest.length) throw new UsageError('city takes one subcommand: atlas city show, or atlas city set --name … --adcode … --attribution … --example … --view …')
    if (sub === 'show') {
      const city = await withDatabase(target, (db) => asCaller(db, leader, (tx) => callApi(tx, 'city_profile', {}), true))
      print(describeCity(city), city)
      return
    }
    const given = changes(values)
    const city = await withDatabase(target, (db) => asCaller(db, userClaims('leader', settledBy()), (tx) => callApi(tx, 'set_city_profile', given).catch(refusal)))
    print(describeCity(city), city)
  },
}
