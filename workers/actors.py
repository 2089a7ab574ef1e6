"""Import every actor module: `dramatiq workers.actors` runs them all."""

import workers.broker
import workers.notifications  # noqa: F401
