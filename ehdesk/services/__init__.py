"""Use cases, one module per job. Each takes a session and the acting user, checks permissions here (never
only in the UI), validates through the form definitions and writes an audit event for every change."""
