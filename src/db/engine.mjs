// The embedded database's thread: TypeScript sources through tsx's loader, as the atlas command runs them.
import { register } from 'tsx/esm/api'

register()
await import('./engine.ts')
