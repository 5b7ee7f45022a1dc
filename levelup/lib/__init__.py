"""Small helpers that are not a Django app."""
