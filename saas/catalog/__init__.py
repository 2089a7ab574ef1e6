"""The offer catalogue: products, plans, versions, price components and the pricing engine."""
