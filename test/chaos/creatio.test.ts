import { harnesses } from './harness.js'
import { chaosSuite } from './suite.js'

chaosSuite(harnesses[2]!, { pageSize: 10, idempotentCreates: true })
