"""Intake of agencies' spreadsheets of people: template, reading and mapping, staging with a
validation report, idempotent commit with provenance, export in the template layout."""
