"""Shift swaps: someone on call offers a stretch of their shift, another takes it, and it becomes an override."""
