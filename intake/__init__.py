"""The front door: watching the inbox, stability, the claim protocol, recovery."""
