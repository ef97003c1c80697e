"""Forms of the monitoring pages, by sub-domain: they parse input; the services decide."""
