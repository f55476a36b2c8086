"""Adapters for the real city's open data (issue 11): each reads a publisher's file as it comes into llt_geo's tables."""
