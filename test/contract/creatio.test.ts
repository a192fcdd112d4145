import { creatioHarness } from './creatio.harness.js'
import { contractSuite } from './suite.js'

contractSuite(creatioHarness)
