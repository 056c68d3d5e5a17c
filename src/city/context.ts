// The city's profile where the page's parts read it (the search box's example, the map's
// attribution and opening view), set once the page has signed in.
import { createContext, useContext } from 'react'
import type { CityProfile } from './types.ts'

/** A city of which nothing is known yet: the page says only the product's own words. */
export const unknownCity: CityProfile = { name: '', adcode: null, attribution: '', search_example: '', view: null, updated_by: null, updated_at: null }

export const CityContext = createContext<CityProfile>(unknownCity)

export const useCity = (): CityProfile => useContext(CityContext)
