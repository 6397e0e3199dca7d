"""The page image with its extracted text blocks and tables drawn over it.

Boxes are in PDF points (after /Rotate) and the image in pixels, so a box is scaled by
the raster's pixels per point: ``px = pt * dpi / 72`` (taken from the raster's actual
size, which also holds when the page was downscaled to fit the pixel budget).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSceneHoverEvent,
    QGraphicsView,
    QWidget,
)

TEXT_COLOUR = QColor(47, 125, 225)
TABLE_COLOUR = QColor(230, 120, 20)
HIGHLIGHT_COLOUR = QColor(255, 214, 0, 110)
_TOOLTIP_CHARS = 600


def block_text(block: Mapping[str, Any]) -> str:
    """A text block's text: spans joined as written, one line per line."""
    return "\n".join(
        "".join(str(span.get("text", "")) for span in line.get("spans") or ())
        for line in block.get("lines") or ()
    ).strip()


def table_text(table: Mapping[str, Any]) -> str:
    """A table as tab-separated text (pastes into spreadsheets as a grid)."""
    return "\n".join("\t".join(str(c) for c in row) for row in table.get("cells") or ())


class BoxItem(QGraphicsRectItem):
    """One block or table outline; hover fills it and shows its text as a tooltip."""

    def __init__(self, rect: QRectF, text: str, kind: str, colour: QColor) -> None:
        super().__init__(rect)
        self.text = text
        self.kind = kind
        self._fill = QColor(colour)
        self._fill.setAlpha(45)
        self._highlight = False
        pen = QPen(colour, 2.0 if kind == "table" else 1.2)
        pen.setCosmetic(True)  # same on-screen width at any zoom
        self.setPen(pen)
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        tip = text if len(text) <= _TOOLTIP_CHARS else text[:_TOOLTIP_CHARS] + "…"
        self.setToolTip(tip)
        self.setZValue(2 if kind == "table" else 1)

    def set_highlighted(self, on: bool) -> None:
        """Fill the box to mark a search hit."""
        self._highlight = on
        self.setBrush(QBrush(HIGHLIGHT_COLOUR) if on else QBrush(Qt.BrushStyle.NoBrush))

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Fill the box while the pointer is over it."""
        self.setBrush(QBrush(self._fill))
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:
        """Restore the box's fill."""
        self.set_highlighted(self._highlight)
        super().hoverLeaveEvent(event)


class PageViewWidget(QGraphicsView):
    """Shows one page; clicking a box copies its text.

    Signals:
        text_copied(str): a box's text was copied to the clipboard.
    """

    text_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(self.palette().dark())
        self._page_item: QGraphicsItem | None = None
        self._boxes: list[BoxItem] = []
        self._fit = True
        self.retranslate()

    def retranslate(self) -> None:
        """Apply the current language."""
        self.setAccessibleName(self.tr("Page with extracted text blocks"))
        self.setToolTip("")

    def changeEvent(self, event: QEvent) -> None:
        """Retranslate on language change."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- content ----------------------------------------------------------------------

    def clear_page(self) -> None:
        """Show nothing."""
        self.scene().clear()
        self._boxes.clear()
        self._page_item = None

    def set_page(
        self, page: Mapping[str, Any], image: QImage | None, highlight: Sequence[str] = ()
    ) -> None:
        """Show ``page`` over ``image`` (a blank sheet when the page was not rendered)."""
        self.clear_page()
        raster = page.get("raster") or {}
        width_pt = float(page.get("width") or 595.0)
        height_pt = float(page.get("height") or 842.0)
        dpi = float(raster.get("dpi") or 72.0)
        if image is not None and not image.isNull():
            pixmap_item = QGraphicsPixmapItem(QPixmap.fromImage(image))
            pixmap_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
            # Smooth scaling of a page-sized pixmap on every repaint is slow: cache the
            # scaled image per zoom level.
            pixmap_item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            item: QGraphicsItem = pixmap_item
            sx, sy = image.width() / width_pt, image.height() / height_pt
        else:
            sx = sy = dpi / 72.0
            item = QGraphicsRectItem(0, 0, width_pt * sx, height_pt * sy)
            item.setBrush(QBrush(Qt.GlobalColor.white))
        self.scene().addItem(item)
        self._page_item = item
        terms = [t.casefold() for t in highlight if t]
        for block in page.get("blocks") or ():
            text = block_text(block)
            box = self._add_box(block.get("bbox"), text, "text", (sx, sy))
            if box is not None and terms and any(t in text.casefold() for t in terms):
                box.set_highlighted(True)
        for table in page.get("tables") or ():
            self._add_box(table.get("bbox"), table_text(table), "table", (sx, sy))
        self.scene().setSceneRect(item.boundingRect())
        self._apply_fit()

    def _add_box(
        self, bbox: Sequence[float] | None, text: str, kind: str, scale: tuple[float, float]
    ) -> BoxItem | None:
        if not bbox or len(bbox) != 4:
            return None
        sx, sy = scale
        x0, y0, x1, y1 = (float(v) for v in bbox)
        colour = TABLE_COLOUR if kind == "table" else TEXT_COLOUR
        box = BoxItem(QRectF(x0 * sx, y0 * sy, (x1 - x0) * sx, (y1 - y0) * sy), text, kind, colour)
        self.scene().addItem(box)
        self._boxes.append(box)
        return box

    def boxes(self, kind: str | None = None) -> list[BoxItem]:
        """The boxes shown (``text`` blocks, ``table`` outlines, or all)."""
        return [b for b in self._boxes if kind is None or b.kind == kind]

    # -- zoom -----------------------------------------------------------------------------

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, leaving fit-to-width mode."""
        self._fit = False
        self.scale(factor, factor)

    def fit_width(self) -> None:
        """Scale the page to the view's width (kept on resize)."""
        self._fit = True
        self._apply_fit()

    def _apply_fit(self) -> None:
        if not self._fit or self._page_item is None:
            return
        rect = self._page_item.boundingRect()
        if rect.width() <= 0:
            return
        self.resetTransform()
        usable = max(50, self.viewport().width() - 4)
        factor = usable / rect.width()
        self.scale(factor, factor)

    # -- events ---------------------------------------------------------------------------

    def resizeEvent(self, event: Any) -> None:
        """Keep fit-to-width on resize."""
        super().resizeEvent(event)
        self._apply_fit()

    def wheelEvent(self, event: Any) -> None:
        """Ctrl + wheel zooms; the plain wheel scrolls."""
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: Any) -> None:
        """A left click on a box copies its text."""
        if event.button() == Qt.MouseButton.LeftButton:
            item = self.itemAt(event.position().toPoint())
            if isinstance(item, BoxItem) and item.text:
                QGuiApplication.clipboard().setText(item.text)
                self.text_copied.emit(item.text)
                event.accept()
                return
        super().mousePressEvent(event)


__all__ = ["BoxItem", "PageViewWidget", "block_text", "table_text"]
