"""Runtime hook of the frozen app: runs before ``dataflow_desktop`` is imported.

Worker processes inherit the environment set here, since they are spawned from the
same executable.
"""

from __future__ import annotations

import os

# pymupdf prints "Consider using the pymupdf_layout package..." on stdout the first time
# tables are searched when pymupdf.layout is absent; the bundle leaves that package
# (ONNX models, onnxruntime, numpy) out on purpose, so the advice is noise.
os.environ.setdefault("PYMUPDF_SUGGEST_LAYOUT_ANALYZER", "0")
