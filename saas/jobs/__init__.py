"""Background jobs as the brand sees them: dead letters it can retry or discard."""
