"""Drawing PDFs that print every name: pages written as they are finished (`document`), text
shaped by HarfBuzz in the order the Unicode bidirectional algorithm gives (`shaping`), in DejaVu
Sans Condensed embedded as the subset a document used (`fonts`, `embedding`), in a file written
object by object (`objects`). Billing's monthly reports and privacy's inspection answers use it."""

from services.infra.pdf.document import PdfDocument
from services.infra.pdf.fonts import BOLD, REGULAR

__all__ = ["BOLD", "REGULAR", "PdfDocument"]
