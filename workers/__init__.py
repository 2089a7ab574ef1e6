"""Dramatiq workers: `workers.broker` is imported first, then the actor modules."""
