"""Run the whole platform as local processes, without Docker, from the same configuration files.

`python -m nativestack up` / `down` (what `make up` / `make down` call). Tests
start their own instance with a port offset, a state folder and a database of
their own, so they never collide with a stack started by `make up`.
"""

from nativestack.stack import Stack

__all__ = ["Stack"]
