"""Dates and times as each edition's language writes them (Django reads
``newsportal.formats.<lang>.formats`` before its own)."""
