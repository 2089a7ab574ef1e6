"""The jobs the privacy area asks the workers for."""

from saas.jobs.queue import job

# Erase the brand's personal data whose retention period has run: (tenant_id).
ERASE_DUE = job("erase_due_personal_data", "privacy")
