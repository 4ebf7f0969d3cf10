"""Curated data, metrics and build tooling for the open analysis book on China's rare-earth export controls."""

__version__ = "0.1.0"
