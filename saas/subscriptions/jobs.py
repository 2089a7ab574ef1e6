"""The jobs the subscriptions area asks the workers for."""

from saas.jobs.queue import job

APPLY_DUE_CHANGES = job("apply_due_changes", "subscriptions")
