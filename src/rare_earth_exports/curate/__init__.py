"""From raw figures as published to the one-value-per-key data package: rules, derivations, validation, importers."""
