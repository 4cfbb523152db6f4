"""Cross-source duplicate detection (Splink on DuckDB) and the data stewards' review queue."""
