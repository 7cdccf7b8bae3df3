// Test runs stay quiet: Powertools logs and EMF metrics are silenced unless a test asks for them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
// The SDK's notice that it will soon require Node.js 22 (the Lambda runtime) is noise on a Node.js 20 test machine.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
