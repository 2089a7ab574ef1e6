"""Figures a brand (or the platform) reads off its records: counts, recurring revenue, movements."""
