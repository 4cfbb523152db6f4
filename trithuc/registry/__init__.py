"""The intellectual registry (issue 3): people and everything about them.

So far this package holds the rules every part of the registry shares — citizen ID structure
and retirement dates — as plain functions; the models and pages come next.
"""
