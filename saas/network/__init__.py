"""Numbers, SIMs and eSIMs, and lines: a subscription's number and SIM over time."""
