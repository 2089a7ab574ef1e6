"""Provisioning at the host MNO: orders carried out by jobs, and numbers ported in.

Entry points for the rest of the platform (sign-up, lines): `orders.activate`, `orders.suspend`,
`orders.restore`, `orders.terminate`, `orders.change_profile`, `orders.swap_sim`, `orders.retry`
and `porting.file_port_in`; what happened is told to the callbacks registered in `hooks`.
"""
