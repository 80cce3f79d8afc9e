"""Briefs for editors and colleagues: a self-contained HTML file (or Markdown) per site and date."""

from basewatch.report.brief import Brief, build_brief, render_html, render_markdown, write_brief

__all__ = ["Brief", "build_brief", "render_html", "render_markdown", "write_brief"]
