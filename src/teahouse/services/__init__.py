"""One package per Teahouse service: its domain logic, its RPC handlers and its wiring."""
