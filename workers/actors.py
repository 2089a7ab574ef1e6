"""The worker entry point: `dramatiq workers.actors` runs every actor against an app of its own.

Importing this module registers the actors; a worker process that has not bound an app (the
demo's in-process worker and the tests bind theirs) builds one when it boots.
"""

import workers.broker
import workers.notifications
import workers.privacy
import workers.provisioning
import workers.subscriptions
import workers.usage  # noqa: F401
from saas import create_app
from workers.middleware import AppContext

AppContext.build_with(create_app)
