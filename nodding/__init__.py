"""Nodding Terms, the application: the `nodding` command, run outputs and experiments.

This package sits above the simulation (`model`): it imports `model`, and
`model` never imports it.
"""
