"""Import every domain's models so that the metadata is complete."""


def load_all() -> None:
    """Register every mapped class with the declarative base."""
    import saas.catalog.models
    import saas.customers.credit.models
    import saas.customers.kyc.models
    import saas.customers.models
    import saas.customers.onboarding.models
    import saas.customers.privacy.models
    import saas.identity.api_keys
    import saas.identity.audit
    import saas.identity.models
    import saas.jobs.models
    import saas.network.models
    import saas.network.provisioning.models
    import saas.notifications.models
    import saas.subscriptions.models
    import saas.tenancy.models
    import saas.usage.charging_models
    import saas.usage.models
    import saas.usage.rating.models  # noqa: F401
