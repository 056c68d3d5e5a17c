// Runs before npm start / test / bench: installs the dependencies on a fresh clone (or when
// package-lock.json changed since the last install), with nothing but Node's own modules.
import { execSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const lockHash = crypto.createHash('sha256').update(fs.readFileSync(path.join(root, 'package-lock.json'))).digest('hex')
const stamp = path.join(root, 'node_modules/.atlas-installed')
if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== lockHash) {
  console.log('[atlas] installing dependencies (npm ci) …')
  execSync('npm ci --prefer-offline --no-audit --no-fund', { cwd: root, stdio: 'inherit' })
  fs.writeFileSync(stamp, lockHash)
}
