"""The timeline of policy events."""
