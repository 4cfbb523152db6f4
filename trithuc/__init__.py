"""Trí Thức: the platform for a city's intellectual workforce (Resolution 45-NQ/TW)."""
