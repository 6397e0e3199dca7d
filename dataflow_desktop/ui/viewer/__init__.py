"""The viewer of one job's results: page image with its text blocks, and detail tabs."""

from __future__ import annotations

from .viewer_widget import ViewerWidget

__all__ = ["ViewerWidget"]
