import { harnesses } from './harness.js'
import { chaosSuite } from './suite.js'

chaosSuite(harnesses[2]!, { pageSize: 25, idempotentCreates: true })
