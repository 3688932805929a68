"""The Solara dashboard: Explore, What if and Classroom pages above the model (see README.md here)."""
