"""Correlation of alerts into incidents: the matching rule and the attachments."""
