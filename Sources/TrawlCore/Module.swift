// TrawlCore module.
