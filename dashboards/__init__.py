"""The Solara dashboard: Explore, What if and Classroom pages above the model (see README.md here).

Imported as ``nodding.dashboards`` (the repository's ``dashboards/`` folder).
"""

if __name__ != "nodding.dashboards":  # reached as a top-level `dashboards` from a checkout's root
    raise ImportError("the dashboard is imported as `nodding.dashboards` since Nodding Terms 0.2.0 "
                      "(serve it with `nodding dashboard`)")
