"""One log format for every service, on stderr (the process manager or Docker collects it)."""

import logging
import os


def configure(service_name):
    level = os.environ.get("LOG_LEVEL", "INFO").upper()
    logging.basicConfig(
        level=level,
        format=f"%(asctime)s %(levelname)s {service_name} [%(process)d] %(name)s: %(message)s",
    )
