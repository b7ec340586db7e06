"""Imported once by the analysis pool's fork server: workers fork with the models loaded."""

from index.text import analyze

analyze("khởi động")
