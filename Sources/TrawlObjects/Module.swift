// TrawlObjects module.
