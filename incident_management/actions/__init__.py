"""One-tap actions: signed, expiring, single-use links that acknowledge or resolve an incident as one person."""
