"""The main window's actions, menus and toolbar, with their shortcuts and icons."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar

_SP = QStyle.StandardPixmap
_THEME = QIcon.ThemeIcon


def _icon(window: QMainWindow, theme: QIcon.ThemeIcon, fallback: QStyle.StandardPixmap) -> QIcon:
    """The desktop theme's icon, else the style's (Windows and macOS have no icon theme)."""
    icon = QIcon.fromTheme(theme)
    return icon if not icon.isNull() else window.style().standardIcon(fallback)


class WindowActions(QObject):
    """Creates every action of the window; :meth:`retranslate` sets their texts."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window

        def action(
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            icon: QIcon | None = None,
        ) -> QAction:
            act = QAction(window)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            if icon is not None:
                act.setIcon(icon)
            window.addAction(act)  # shortcuts work even when the menu bar is hidden
            return act

        self.open_files = action(
            QKeySequence.StandardKey.Open,
            _icon(window, _THEME.DocumentOpen, _SP.SP_DialogOpenButton),
        )
        self.open_folder = action(
            "Ctrl+Shift+O", _icon(window, _THEME.FolderOpen, _SP.SP_DirOpenIcon)
        )
        self.paste = action(QKeySequence.StandardKey.Paste)
        self.settings = action(
            "Ctrl+,", _icon(window, _THEME.DocumentProperties, _SP.SP_FileDialogDetailedView)
        )
        self.quit = action("Ctrl+Q")  # StandardKey.Quit is empty on Windows
        self.select_all = action(QKeySequence.StandardKey.SelectAll)
        self.find = action(
            QKeySequence.StandardKey.Find,
            _icon(window, _THEME.EditFind, _SP.SP_FileDialogContentsView),
        )
        self.filter = action("Ctrl+L")
        self.refresh = action(
            QKeySequence("F5"), _icon(window, _THEME.ViewRefresh, _SP.SP_BrowserReload)
        )
        self.cancel = action(None, _icon(window, _THEME.ProcessStop, _SP.SP_BrowserStop))
        self.retry = action("Ctrl+R", _icon(window, _THEME.MediaPlaybackStart, _SP.SP_MediaPlay))
        self.remove = action(
            QKeySequence.StandardKey.Delete, _icon(window, _THEME.EditDelete, _SP.SP_TrashIcon)
        )
        self.results_folder = action(None, _icon(window, _THEME.FolderOpen, _SP.SP_DirIcon))
        self.export = action(
            "Ctrl+E", _icon(window, _THEME.DocumentSaveAs, _SP.SP_DialogSaveButton)
        )
        self.view = action(None, _icon(window, _THEME.DocumentPrintPreview, _SP.SP_FileIcon))
        self.sync_now = action("Ctrl+Shift+S", _icon(window, _THEME.GoUp, _SP.SP_ArrowUp))
        self.log_folder = action()
        self.about = action(None, _icon(window, _THEME.HelpAbout, _SP.SP_MessageBoxInformation))

        bar = window.menuBar()
        self.file_menu = QMenu(window)
        self.file_menu.addActions([self.open_files, self.open_folder, self.paste])
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.settings)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit)
        self.edit_menu = QMenu(window)
        self.edit_menu.addActions([self.select_all, self.filter, self.find])
        self.jobs_menu = QMenu(window)
        self.jobs_menu.addActions([self.view, self.results_folder, self.export])
        self.jobs_menu.addSeparator()
        self.jobs_menu.addActions([self.cancel, self.retry, self.remove])
        self.jobs_menu.addSeparator()
        self.jobs_menu.addActions([self.sync_now, self.refresh])
        self.view_menu = QMenu(window)
        self.help_menu = QMenu(window)
        self.help_menu.addActions([self.log_folder, self.about])
        for menu in (self.file_menu, self.edit_menu, self.jobs_menu, self.view_menu,
                     self.help_menu):  # fmt: skip
            bar.addMenu(menu)

        self.toolbar = QToolBar(window)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        # Text beside the icons: desktops without an icon theme get the style's generic
        # icons, which say little on their own.
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toolbar.addActions([self.open_files, self.open_folder])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.view, self.results_folder, self.export])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.cancel, self.retry, self.remove])
        self.toolbar.addSeparator()
        self.toolbar.addActions([self.sync_now, self.find, self.settings])
        window.addToolBar(self.toolbar)

    def job_actions(self) -> list[QAction]:
        """Actions that apply to the selected jobs (for the context menu)."""
        return [self.view, self.results_folder, self.export, self.cancel, self.retry, self.remove]

    def retranslate(self) -> None:
        """Apply the current language to every action and menu."""
        texts = [
            (self.open_files, self.tr("&Open files…"), self.tr("Add PDF files to process")),
            (
                self.open_folder,
                self.tr("Open &folder…"),
                self.tr("Add every PDF of a folder and its subfolders"),
            ),
            (
                self.paste,
                self.tr("&Paste paths"),
                self.tr("Add the files or folders whose paths are in the clipboard"),
            ),
            (
                self.settings,
                self.tr("&Settings…"),
                self.tr("Data folder, processing, language and theme"),
            ),
            (self.quit, self.tr("&Quit"), self.tr("Quit DataFlow Desktop")),
            (
                self.select_all,
                self.tr("Select &all jobs"),
                self.tr("Select every job in the list"),
            ),
            (
                self.find,
                self.tr("&Find in documents…"),
                self.tr("Search the text of every processed document"),
            ),
            (self.filter, self.tr("Filter &jobs"), self.tr("Filter the job list by file name")),
            (
                self.refresh,
                self.tr("&Refresh"),
                self.tr("Read the job list and the results again"),
            ),
            (
                self.sync_now,
                self.tr("&Sync now"),
                self.tr("Upload every finished job that is not in the team's bucket yet"),
            ),
            (self.cancel, self.tr("&Cancel"), self.tr("Stop the selected jobs")),
            (self.retry, self.tr("Re&try"), self.tr("Process the selected jobs again")),
            (
                self.remove,
                self.tr("Re&move…"),
                self.tr("Delete the selected jobs and their result files"),
            ),
            (
                self.results_folder,
                self.tr("Open results &folder"),
                self.tr("Show the job's files in the file manager"),
            ),
            (
                self.export,
                self.tr("&Export bundle…"),
                self.tr("Save the results of the selected jobs as ZIP bundles"),
            ),
            (
                self.view,
                self.tr("Show in &viewer"),
                self.tr("Show the pages, text and tables of the job"),
            ),
            (
                self.log_folder,
                self.tr("Open &log folder"),
                self.tr("Show the folder of the log files"),
            ),
            (self.about, self.tr("&About DataFlow Desktop"), self.tr("Version and licence")),
        ]
        for act, text, tip in texts:
            act.setText(text)
            act.setStatusTip(tip)
            shortcut = act.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            act.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
        short = {
            self.open_files: self.tr("Add files"),
            self.open_folder: self.tr("Add folder"),
            self.view: self.tr("View"),
            self.results_folder: self.tr("Folder"),
            self.export: self.tr("Export"),
            self.cancel: self.tr("Cancel"),
            self.retry: self.tr("Retry"),
            self.remove: self.tr("Remove"),
            self.sync_now: self.tr("Sync now"),
            self.find: self.tr("Find"),
            self.settings: self.tr("Settings"),
        }
        for act, text in short.items():
            act.setIconText(text)  # the toolbar's label
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.jobs_menu.setTitle(self.tr("&Jobs"))
        self.view_menu.setTitle(self.tr("&View"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.toolbar.setWindowTitle(self.tr("Main toolbar"))


__all__ = ["WindowActions"]
