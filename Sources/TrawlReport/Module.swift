// TrawlReport module.
