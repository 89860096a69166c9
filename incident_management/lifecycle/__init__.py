"""The incident lifecycle: the API, the status rules, and the incidents table."""
