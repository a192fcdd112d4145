import { harnesses } from './harness.js'
import { chaosSuite } from './suite.js'

chaosSuite(harnesses[0]!, { pageSize: 10, idempotentCreates: false })
