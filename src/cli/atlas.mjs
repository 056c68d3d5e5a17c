#!/usr/bin/env node
// The atlas command: TypeScript sources run through tsx's loader.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('./main.ts')
process.exitCode = await main(process.argv.slice(2))
