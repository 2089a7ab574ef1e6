"""Import every actor module: `dramatiq workers.actors` runs them all."""

import workers.broker  # noqa: F401  (first: sets the broker)
import workers.notifications  # noqa: F401
