"""Visa invitation letters: settings, requests, issue, the PDF (document.py), public verification (docs/letters.md)."""
