"""Imports of bibliographic exports into the library: per-format parsers that all produce
NormalisedRecords, and one pipeline that deduplicates and writes them through the services."""
