"""mteval."""
