"""Finding incidents: the active list (most urgent first), history filters, sorting and pagination."""
