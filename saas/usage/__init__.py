"""Usage: records read from the network's files, rated against decks, charged against plans."""
