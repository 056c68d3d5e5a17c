// Run as a child process by the fault tests: the first start's loading of the sample city, as
// `npm start` does it (src/server/main.ts), saying each step as it goes so that the test can kill
// it in the middle.
//
//   node --import tsx tests/faults/load-sample.ts <folder>
import { connect } from '../../src/db/connect.ts'
import { readMeta, writeMeta } from '../../src/db/embedded.ts'
import { loadSample } from '../../src/db/sample.ts'

const dir = process.argv[2]
const connection = await connect(dir, 'npm start')
const meta = readMeta(dir)
console.log('loading')
await loadSample(
  connection.db,
  (result) => console.log(`layer ${result.layer} ${result.inserted}`),
  (summary) => console.log(`circles ${summary.circles}`),
)
writeMeta(dir, { ...meta, sampleLoadedAt: new Date().toISOString() })
console.log('loaded')
await connection.close()
