"""Subscriptions: what a subscriber holds, and every change to it over time."""
