"""Customers: accounts that hold subscriptions and pay for them."""
