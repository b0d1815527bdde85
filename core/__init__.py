"""The lowest layer: what every app shares and none owns (see docs/architecture.md, "Layers").

core imports Django and third-party libraries only, never another app of the portal.
"""
