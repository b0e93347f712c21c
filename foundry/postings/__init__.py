"""Postings."""
