import type { Configuration } from 'webpack'
export declare const widgetConfigs: Configuration[]
declare const configs: Configuration[]
export default configs
