"""Ingestion: report files -> documents -> passages -> embeddings -> the index directory."""
