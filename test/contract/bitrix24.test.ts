import { bitrix24Harness } from './bitrix24.harness.js'
import { contractSuite } from './suite.js'

contractSuite(bitrix24Harness)
