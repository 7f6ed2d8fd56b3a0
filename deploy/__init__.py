"""Running the system: the `valmennus` command, `make run`, the Dockerfile and docker compose.

A start prints what matters and not the warnings every nameko process would print on its own
(eventlet's deprecation notice, pkg_resources' from nameko's CLI): they are filtered here, for
the `valmennus` command, and by `QUIET_WARNINGS` in the environment of the processes it starts.
"""

import warnings

QUIET_WARNINGS = "ignore::Warning:nameko.cli.commands,ignore::UserWarning:nameko.cli.main"

warnings.filterwarnings("ignore", category=UserWarning, module="nameko.cli.main")
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
