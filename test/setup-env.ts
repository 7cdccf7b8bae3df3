// Test runs stay quiet: Powertools logs and EMF metrics are silenced unless a test asks for them.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
