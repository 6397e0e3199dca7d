# The dataflow worker image used by deploy/compose.yaml. EXAMPLE - NOT BUILT HERE.
# Every worker (and every desktop submitting to the cluster) should run the same
# dataflow-desktop, PyMuPDF and Tesseract versions: results are byte-identical only then.
FROM python:3.11-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . /src
RUN pip install --no-cache-dir ".[temporal]" && useradd --system --home /var/lib/dataflow dataflow \
 && mkdir -p /var/lib/dataflow && chown dataflow /var/lib/dataflow
USER dataflow
ENTRYPOINT []
CMD ["dataflow", "worker", "--help"]
