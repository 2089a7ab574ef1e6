"""Sign-up: a person or company becomes a subscriber with a working line, step by step."""
