"""The jobs the provisioning area asks the workers for."""

from saas.jobs.queue import job

# Send an order to the host network, or ask how an accepted one stands: (tenant_id, order_id).
RUN_ORDER = job("run_provisioning_order", "provisioning")
# Complete the brand's confirmed port-ins whose porting date has come: (tenant_id).
COMPLETE_DUE_PORT_INS = job("complete_due_port_ins", "provisioning")
