"""The jobs the notifications area asks the workers for."""

from saas.jobs.queue import job

DELIVER_EMAIL = job("deliver_email", "notifications")
