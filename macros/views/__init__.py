"""Views: one module per area; each returns Sections (escaped HTML bodies) from a BuildContext."""
