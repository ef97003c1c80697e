"""Pages of the monitoring grid, one module per part: registry (households, members, incomes),
quality (data-quality page), visits (month lists, coverage, recording), transfer (national
Excel import and export)."""
