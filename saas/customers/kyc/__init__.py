"""Know your customer: identity checks before a person gets a line (saas.customers.kyc.services)."""

from saas.customers.kyc import reasons as reasons  # registers every reason's English template
