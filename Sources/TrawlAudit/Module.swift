// TrawlAudit module.
