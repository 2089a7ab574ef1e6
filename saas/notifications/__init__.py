"""Messages a brand sends to people: stored first, delivered by a worker."""
