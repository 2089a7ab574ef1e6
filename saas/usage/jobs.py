"""The jobs the usage area asks the workers for."""

from saas.jobs.queue import job

# Work one chunk of a usage file, once: (tenant_id, chunk_id).
WORK_CHUNK = job("work_usage_chunk", "usage")
# Read a file's quarantined records again after a fix: (tenant_id, file_id).
REPROCESS = job("reprocess_usage_file", "usage")
# Look for new files in the brand's drop folders: (tenant_id).
SCAN_DROP = job("scan_usage_drop_folders", "usage")
