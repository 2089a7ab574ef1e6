"""Rating: rate decks per brand (CGRateS's tariff plan, versioned) and the vectorised rater.

`rate(session, found)` is the pipeline's rate stage (saas.usage.records); `kernel.price` is
the pure kernel it calls with a compiled deck; `services` prices one record with its breakdown.
"""

from saas.usage.rating.stage import rate

__all__ = ["rate"]
