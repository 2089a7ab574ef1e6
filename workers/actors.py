"""Import every actor module: `dramatiq workers.actors` runs them all."""

import workers.broker
import workers.notifications
import workers.subscriptions  # noqa: F401
