"""vankien engine: Vietnamese text analysis, ingestion, store, BM25 index and search.

This package never imports Telegram; the surfaces live in `bot/`.
"""
