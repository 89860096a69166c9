"""Resolution by the source: alerts resolved upstream, recorded on their incidents."""
