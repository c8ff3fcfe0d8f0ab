// The reference Bluesky PDS with an in-memory PLC directory, for Postroom's connector tests.
// Usage: node serve.js PDS_PORT PLC_PORT. Listens on 127.0.0.1 only; prints one JSON line when
// ready, then runs until killed. Configured as @atproto/dev-env's TestPds does it.
'use strict'
const http = require('node:http')

// Express (and the PLC server) listen on every interface by default: bind loopback only.
const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  }
  return listen.apply(this, args)
}

const { TestPlc } = require('@atproto/dev-env/dist/plc')
const { TestPds } = require('@atproto/dev-env/dist/pds')
const { mockNetworkUtilities } = require('@atproto/dev-env/dist/util')

async function main () {
  const [pdsPort, plcPort] = process.argv.slice(2).map(Number)
  const plc = await TestPlc.create({ port: plcPort })
  const pds = await TestPds.create({
    port: pdsPort,
    didPlcUrl: plc.url,
    rateLimitsEnabled: false
  })
  mockNetworkUtilities(pds)
  process.stdout.write(JSON.stringify({ ready: true, url: `http://127.0.0.1:${pdsPort}` }) + '\n')
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
