"""Which contact methods must be verified before paging uses them: those that reach a personal device."""

from oncall_service.identity import verification_repository

NEEDS_VERIFICATION = ("apprise",)  # push, SMS and chat apps; email, webhook, slack and log count as verified


def after_saved(cur, before, method, shown=None):
    """Keep how the address is shown; a new Apprise method, or one whose address changed, must be verified
    (again). Returns the method as saved."""
    verification_repository.set_shown(cur, method["id"], shown)
    method = {**method, "address_shown": shown}
    changed = before is None or (before["type"], before["address"]) != (method["type"], method["address"])
    if method["type"] in NEEDS_VERIFICATION and changed:
        verification_repository.mark_unverified(cur, method["id"])
        method = {**method, "verified_at": None}
    return method
