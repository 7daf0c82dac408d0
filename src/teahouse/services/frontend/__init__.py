"""The frontend service: the single entry for function, data and task requests."""
