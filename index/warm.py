"""Imported once by the analysis pool's fork server (`index.indexer.analysis_pool`):
workers fork with the analysis imported and its models loaded."""

from index.indexer import _warm

_warm()
