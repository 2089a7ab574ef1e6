"""The languages the product ships catalogs for."""

SUPPORTED_LOCALES = ("en", "de", "pl")
