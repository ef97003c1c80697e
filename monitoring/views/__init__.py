"""Pages of the monitoring grid, one module per sub-domain (households, members, incomes, visits,
cases, measures, warnings, cards, lists, quality); ``monitoring/urls.py`` routes to them."""
