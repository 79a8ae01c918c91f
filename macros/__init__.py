"""Views: Handbook → escaped Markdown/HTML/SVG, shared by the site and the printed binders."""
