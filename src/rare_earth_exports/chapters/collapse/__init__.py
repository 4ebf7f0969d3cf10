"""The collapse and recovery of magnet exports after the April 2025 controls."""
